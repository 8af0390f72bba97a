import { redactSecrets } from '@vigil/node';

/**
 * Redacts secrets from text that goes into an incident timeline (automation output, errors): `@vigil/node`'s
 * `redactSecrets()` with the `<redacted>` marker, plus the incident's `known` secrets verbatim.
 */
export function redactIncidentText(text: string, known: readonly string[] = []): string {
  return redactSecrets(text, { secrets: known, marker: '<redacted>' });
}

/** Keeps at most `max` characters of `text` (UTF-16 units), marking the cut. */
export function excerpt(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
