import { type EntityManager, In } from 'typeorm';
import type { SecretBox } from '../security/secrets';
import { Suppression, type SuppressionReason } from '../entities/Suppression';
import { normaliseEmail } from './email-address';

/**
 * What stands for an erased address where Herald must still recognise it: its suppression
 * row and the audit entry of the erasure. Keyed and scoped to the account, so it cannot be
 * reversed, nor matched across accounts, without the server's secret.
 */
export function erasedAddress(secrets: SecretBox, accountId: string, email: string): string {
  return `erased:${secrets.fingerprint(`${accountId}:${normaliseEmail(email)}`)}`;
}

/**
 * The one rule for "may this account email these addresses": those it holds a suppression
 * for (a hard bounce, a complaint or an unsubscribe), kept in clear or, once the person was
 * erased, as `erasedAddress`. Every send path asks it before claiming an email. Returns the
 * suppressed ones among `emails`, as given, with why.
 */
export async function suppressionsAmong(
  em: EntityManager,
  secrets: SecretBox,
  accountId: string,
  emails: string[],
): Promise<Map<string, SuppressionReason>> {
  if (!emails.length) return new Map();
  const refs = new Map(emails.map((e) => [e, erasedAddress(secrets, accountId, e)]));
  const stored = await em.findBy(Suppression, { accountId, email: In([...emails, ...refs.values()]) });
  const reasonOf = new Map(stored.map((s) => [s.email, s.reason]));
  const found = new Map<string, SuppressionReason>();
  for (const e of emails) {
    const reason = reasonOf.get(e) ?? reasonOf.get(refs.get(e)!);
    if (reason) found.set(e, reason);
  }
  return found;
}

const BECAUSE: Record<SuppressionReason, string> = {
  hard_bounce: 'a hard bounce',
  spam_complaint: 'a spam complaint',
  unsubscribed: 'the recipient unsubscribed',
};

/** "a hard bounce", "a spam complaint", "the recipient unsubscribed". */
export const suppressedBecause = (reason: SuppressionReason): string => BECAUSE[reason] ?? reason;

/** The invite's delivery error. */
export const whySuppressed = (reason: SuppressionReason): string =>
  `address suppressed after ${suppressedBecause(reason)}`;
