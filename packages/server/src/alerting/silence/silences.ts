import { randomUUID } from 'node:crypto';
import type { AlertingClock } from '../clock.js';
import { AlertingErrorCode, SilenceError } from '../errors.js';
import { createMatcher, matchesAll, type Matcher } from '../matchers/matcher.js';
import type { LabelSet } from '../types.js';

/** A silence matcher in API form. */
export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  /** false for `!=` / `!~` (default true). */
  readonly isEqual: boolean;
}

/** A stored silence; times in ms since the epoch. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** Silence state as the API reports it. */
export type SilenceState = 'active' | 'pending' | 'expired';

/** Input to create or update a silence (Alertmanager's `postableSilence`, times in ms). */
export interface SilenceInput {
  readonly id?: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** Persistence hooks of the silence registry. */
export interface SilencePersistence {
  save(s: Silence): Promise<void>;
  delete(id: string): Promise<void>;
}

/** State of a silence at `now`. */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (s.endsAt <= now) return 'expired';
  if (s.startsAt > now) return 'pending';
  return 'active';
}

function compile(ms: readonly SilenceMatcher[]): Matcher[] {
  return ms.map((m) => createMatcher(m.name, m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=', m.value));
}

/**
 * The silence registry: create/update, expire, query and "which silences mute these labels".
 * Expired silences are kept for `retentionMs` (default 120 h, as Alertmanager) then dropped.
 */
export class Silences {
  private readonly byId = new Map<string, { s: Silence; compiled: Matcher[] }>();

  constructor(
    private readonly clock: AlertingClock,
    private readonly persist: SilencePersistence | undefined,
    private readonly retentionMs = 120 * 3_600_000,
  ) {}

  /** Loads silences read back from the store at startup. */
  load(list: readonly Silence[]): void {
    for (const s of list) this.byId.set(s.id, { s, compiled: compile(s.matchers) });
  }

  /** Validates and stores a silence; returns its id. An update that changes matchers or an expired one gets a new id. */
  async upsert(input: SilenceInput): Promise<string> {
    const now = this.clock.now();
    if (input.matchers.length === 0) throw new SilenceError(AlertingErrorCode.silenceInvalid, 'silence invalid: at least one matcher required');
    for (const m of input.matchers) {
      if (!m.name) throw new SilenceError(AlertingErrorCode.silenceInvalid, 'silence invalid: invalid label matcher: missing label name');
    }
    let compiled: Matcher[];
    try {
      compiled = compile(input.matchers);
    } catch (err) {
      throw new SilenceError(AlertingErrorCode.silenceInvalid, `silence invalid: ${(err as Error).message}`);
    }
    if (compiled.every((m) => m.matches(''))) throw new SilenceError(AlertingErrorCode.silenceInvalid, 'silence invalid: at least one matcher must not match the empty string');
    if (!Number.isFinite(input.startsAt) || !Number.isFinite(input.endsAt)) throw new SilenceError(AlertingErrorCode.silenceInvalid, 'silence invalid: invalid start or end time');
    if (input.endsAt < input.startsAt) throw new SilenceError(AlertingErrorCode.silenceInvalid, 'silence invalid: end time must not be before start time');
    if (input.endsAt <= now) throw new SilenceError(AlertingErrorCode.silenceInvalid, "silence invalid: end time can't be in the past");
    if (!input.createdBy) throw new SilenceError(AlertingErrorCode.silenceInvalid, 'silence invalid: creator information missing');
    if (!input.comment) throw new SilenceError(AlertingErrorCode.silenceInvalid, 'silence invalid: comment missing');
    const startsAt = Math.max(input.startsAt, now);

    let id: string | undefined;
    if (input.id) {
      const prev = this.byId.get(input.id);
      if (!prev) throw new SilenceError(AlertingErrorCode.silenceNotFound, `silence ${input.id} not found`);
      const state = silenceState(prev.s, now);
      const sameMatchers = JSON.stringify(prev.s.matchers) === JSON.stringify(input.matchers);
      // Alertmanager updates in place only when nothing but the end, comment or creator changes on a
      // live silence; otherwise the old one is expired and a new one created.
      if (state !== 'expired' && sameMatchers && (state === 'pending' || prev.s.startsAt === startsAt || input.startsAt <= now)) {
        id = input.id;
      } else if (state !== 'expired') {
        await this.expire(input.id);
      }
    }
    const s: Silence = {
      id: id ?? randomUUID(),
      matchers: input.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual })),
      startsAt: id && silenceState(this.byId.get(id)!.s, now) === 'active' ? this.byId.get(id)!.s.startsAt : startsAt,
      endsAt: input.endsAt,
      updatedAt: now,
      createdBy: input.createdBy,
      comment: input.comment,
    };
    this.byId.set(s.id, { s, compiled });
    await this.persist?.save(s);
    return s.id;
  }

  /** Expires a silence now (a pending one gets start = end = now). Throws when unknown or already expired. */
  async expire(id: string): Promise<void> {
    const now = this.clock.now();
    const e = this.byId.get(id);
    if (!e) throw new SilenceError(AlertingErrorCode.silenceNotFound, `silence ${id} not found`);
    const state = silenceState(e.s, now);
    if (state === 'expired') throw new SilenceError(AlertingErrorCode.silenceInvalid, `silence ${id} already expired`);
    const s: Silence = { ...e.s, startsAt: state === 'pending' ? now : e.s.startsAt, endsAt: now, updatedAt: now };
    this.byId.set(id, { s, compiled: e.compiled });
    await this.persist?.save(s);
  }

  /** One silence, or undefined. */
  get(id: string): Silence | undefined {
    return this.byId.get(id)?.s;
  }

  /** All silences (dropping the ones past retention). */
  list(): Silence[] {
    const now = this.clock.now();
    const out: Silence[] = [];
    for (const [id, e] of this.byId) {
      if (e.s.endsAt + this.retentionMs < now) {
        this.byId.delete(id);
        void this.persist?.delete(id);
        continue;
      }
      out.push(e.s);
    }
    return out;
  }

  /** Ids of the active silences whose matchers all accept `labels`. */
  mutedBy(labels: LabelSet): string[] {
    const now = this.clock.now();
    const ids: string[] = [];
    for (const e of this.byId.values()) {
      if (silenceState(e.s, now) !== 'active') continue;
      if (matchesAll(e.compiled, labels)) ids.push(e.s.id);
    }
    return ids;
  }

  /** Whether a silence's matchers accept `labels` (any state). */
  matches(id: string, labels: LabelSet): boolean {
    const e = this.byId.get(id);
    return e ? matchesAll(e.compiled, labels) : false;
  }
}
