import { inspect } from 'node:util';

/** What a secret renders as anywhere it could be shown: Alertmanager's `<secret>` placeholder. */
export const SECRET_PLACEHOLDER = '<secret>';

/**
 * A secret configuration value (password, token, webhook URL with a token in it). Its value is only
 * reachable through `reveal()`; `toString()`, `JSON.stringify()` and `util.inspect()` all render
 * `<secret>`, so a config object logged or served by the API by mistake leaks nothing.
 */
export interface Secret {
  /** The real value, for the one place that needs it (building the request). */
  reveal(): string;
  toString(): string;
  toJSON(): string;
}

class SecretValue implements Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return SECRET_PLACEHOLDER;
  }
  toJSON(): string {
    return SECRET_PLACEHOLDER;
  }
  [inspect.custom](): string {
    return SECRET_PLACEHOLDER;
  }
}

/** Wraps a value as a {@link Secret}; an empty string stays an (empty) secret. */
export function createSecret(value: string): Secret {
  return new SecretValue(value);
}

/**
 * Replaces every occurrence of the given secret values (and, for URLs, their query strings and
 * paths, which is where webhook tokens live) in `text` with `<secret>`. Used on every error message
 * and response body that could echo a secret back.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  const values = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    values.add(s);
    try {
      const u = new URL(s);
      // A server may echo only the path (e.g. the Slack token part) or an encoded form.
      if (u.pathname.length > 1) values.add(u.pathname);
      if (u.search.length > 1) values.add(u.search.slice(1));
      values.add(u.href);
    } catch {
      // not a URL: the raw value is enough
    }
    values.add(encodeURIComponent(s));
  }
  // Longest first so a URL is replaced whole before its path is.
  for (const v of [...values].sort((a, b) => b.length - a.length)) {
    if (v.length < 4) continue;
    out = out.split(v).join(SECRET_PLACEHOLDER);
  }
  return out;
}
