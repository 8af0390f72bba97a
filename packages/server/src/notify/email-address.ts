/** One parsed mailbox: optional display name and the address. */
export interface Mailbox {
  readonly name?: string;
  readonly address: string;
}

const ADDR = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function splitList(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle--;
    if (ch === ',' && !quoted && angle === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim());
}

/**
 * Parses an RFC 5322 address list the way Alertmanager's email notifier needs it
 * (`a@example.com, Ops Team <ops@example.com>`); returns the mailboxes, or `error` describing the
 * first entry that is not a valid address.
 */
export function parseAddressList(value: string): { mailboxes: Mailbox[]; error?: string } {
  const mailboxes: Mailbox[] = [];
  for (const part of splitList(value)) {
    if (!part) return { mailboxes, error: 'empty address in list' };
    const m = /^(.*)<([^<>]*)>$/.exec(part);
    const address = (m ? m[2]! : part).trim();
    const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1') : undefined;
    if (!ADDR.test(address) || address.includes('..') || address.startsWith('.') || address.split('@')[0]!.endsWith('.')) {
      return { mailboxes, error: `${JSON.stringify(part)} is not a valid address` };
    }
    mailboxes.push({ address, ...(name ? { name } : {}) });
  }
  return { mailboxes };
}
