import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { AlertingConfigError } from '../errors.js';

/** A YAML node with the means to report errors at its position. */
export interface Located {
  readonly node: Node | null;
  /** Throws an AlertingConfigError at this node's line and column. */
  fail(message: string): never;
}

/** Reads YAML text and turns positions into `file:line:col` errors. */
export class YamlSource {
  readonly lc = new LineCounter();
  readonly root: Node | null;

  constructor(
    readonly text: string,
    readonly name: string,
    /** Lines and columns before `text` in its file (an inline block inside vigil.yml). */
    readonly offset: { readonly line: number; readonly column: number } = { line: 0, column: 0 },
  ) {
    const doc = parseDocument(text, { lineCounter: this.lc, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const pos = this.linePos(e.pos[0]);
      throw new AlertingConfigError(name, pos.line, pos.col, `invalid YAML: ${e.message.split('\n')[0]}`);
    }
    this.root = (doc.contents as Node | null) ?? null;
  }

  /** Throws an error at the node (or at line 1 column 1 when there is no node). */
  fail(node: Node | null | undefined, message: string): never {
    const off = node?.range?.[0] ?? 0;
    const pos = this.linePos(off);
    throw new AlertingConfigError(this.name, pos.line, pos.col, message);
  }

  /** Line and column (1-based) of a character offset, in the enclosing file. */
  linePos(offset: number): { line: number; col: number } {
    const p = this.lc.linePos(offset);
    return { line: p.line + this.offset.line, col: p.col + this.offset.column };
  }

  /** Entries of a mapping, rejecting keys outside `allowed` (Alertmanager's strict unmarshalling). */
  mapEntries(node: Node | null, what: string, allowed?: ReadonlySet<string>): Map<string, { key: Node; value: Node | null }> {
    const out = new Map<string, { key: Node; value: Node | null }>();
    if (node === null || (isScalar(node) && node.value === null)) return out;
    if (!isMap(node)) this.fail(node, `${what} must be a mapping`);
    for (const pair of node.items as Pair<Node, Node | null>[]) {
      const k = pair.key;
      const name = isScalar(k) ? String(k.value) : '';
      if (allowed && !allowed.has(name)) this.fail(k, `field ${name} not found in type ${what}`);
      out.set(name, { key: k, value: pair.value ?? null });
    }
    return out;
  }

  /** Items of a sequence (null/absent → empty). */
  seqItems(node: Node | null | undefined, what: string): Node[] {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return node.items as Node[];
  }

  /** A scalar string value. */
  str(node: Node | null | undefined, what: string): string {
    if (node === null || node === undefined) return '';
    if (!isScalar(node)) this.fail(node, `${what} must be a string`);
    if (node.value === null) return '';
    if (typeof node.value === 'object') this.fail(node, `${what} must be a string`);
    return String(node.value);
  }

  /** A boolean value. */
  bool(node: Node | null | undefined, what: string): boolean {
    if (node === null || node === undefined) return false;
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, `${what} must be true or false`);
    return node.value;
  }

  /** The plain JS value of a node (for parts handed to other parsers). */
  toJS(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) return null;
    return (node as { toJSON?: () => unknown }).toJSON ? (node as unknown as { toJSON: () => unknown }).toJSON() : null;
  }
}
