/**
 * Parse tree of a Go text/template: list nodes (text, actions, control structures) and the
 * operands inside pipelines, plus `nodeString` which prints a node the way Go's error context does.
 */

/** A bare identifier argument: a function name. */
export interface IdentifierArg {
  type: 'identifier';
  pos: number;
  name: string;
}
/** `.A.B`: a field chain on dot. */
export interface FieldArg {
  type: 'field';
  pos: number;
  idents: string[];
}
/** `$x` or `$x.A.B`. */
export interface VariableArg {
  type: 'variable';
  pos: number;
  idents: string[];
}
/** A parenthesised pipeline, `(... | ...)`. */
export interface PipeArg {
  type: 'pipe';
  pos: number;
  pipe: Pipe;
}
/** A field chain on a term, `(x).A.B`. */
export interface ChainArg {
  type: 'chain';
  pos: number;
  node: Arg;
  fields: string[];
}
/** A literal constant. */
export interface LiteralArg {
  type: 'dot' | 'nil' | 'bool' | 'number' | 'string';
  pos: number;
  text: string;
  value: unknown;
}
/** Any operand of a command. */
export type Arg = IdentifierArg | FieldArg | VariableArg | PipeArg | ChainArg | LiteralArg;

/** One command of a pipeline: an operand followed by arguments. */
export interface Command {
  pos: number;
  args: Arg[];
}

/** A pipeline with its optional `$x :=` / `$i, $e :=` declarations or `=` assignment. */
export interface Pipe {
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableArg[];
  cmds: Command[];
}

/** An if, with or range node. */
export interface ControlNode {
  type: 'if' | 'with' | 'range';
  pos: number;
  line: number;
  pipe: Pipe;
  list: ListNode[];
  elseList: ListNode[] | null;
}

/** A `{{template "name" pipeline}}` node. */
export interface TemplateCallNode {
  type: 'template';
  pos: number;
  line: number;
  name: string;
  pipe: Pipe | null;
}

/** A node of a template's list. */
export type ListNode =
  | { type: 'text'; pos: number; text: string }
  | { type: 'action'; pos: number; line: number; pipe: Pipe }
  | ControlNode
  | TemplateCallNode
  | { type: 'break' | 'continue'; pos: number; line: number };

/** One named template: its body and the source it was parsed from (for error positions). */
export interface Tree {
  name: string;
  parseName: string;
  text: string;
  root: ListNode[];
}

/** Prints an argument, command, pipeline or node the way Go's `Node.String()` does. */
export function argString(a: Arg): string {
  switch (a.type) {
    case 'identifier':
      return a.name;
    case 'field':
      return '.' + a.idents.join('.');
    case 'variable':
      return a.idents.join('.');
    case 'pipe':
      return '(' + pipeString(a.pipe) + ')';
    case 'chain': {
      const inner = a.node.type === 'pipe' ? argString(a.node) : argString(a.node);
      return inner + '.' + a.fields.join('.');
    }
    default:
      return a.text;
  }
}

/** Prints a command (`f a b`). */
export function commandString(c: Command): string {
  return c.args.map(argString).join(' ');
}

/** Prints a pipeline, with its declarations. */
export function pipeString(p: Pipe): string {
  let s = '';
  if (p.decl.length > 0) {
    s = p.decl.map((v) => v.idents.join('.')).join(', ') + (p.isAssign ? ' = ' : ' := ');
  }
  return s + p.cmds.map(commandString).join(' | ');
}

/** Prints a list node. */
export function listNodeString(n: ListNode): string {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'action':
      return '{{' + pipeString(n.pipe) + '}}';
    case 'template':
      return `{{template ${JSON.stringify(n.name)}${n.pipe ? ' ' + pipeString(n.pipe) : ''}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    default: {
      let s = `{{${n.type} ${pipeString(n.pipe)}}}` + n.list.map(listNodeString).join('');
      if (n.elseList) s += '{{else}}' + n.elseList.map(listNodeString).join('');
      return s + '{{end}}';
    }
  }
}
