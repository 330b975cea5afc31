import { type EntityManager, In } from 'typeorm';
import type { SecretBox } from '../db/secrets';
import { Suppression } from '../entities/Suppression';
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
 * for (a hard bounce or complaint), kept in clear or, once the person was erased, as
 * `erasedAddress`. Returns the suppressed ones among `emails`, as given.
 */
export async function suppressedAmong(
  em: EntityManager,
  secrets: SecretBox,
  accountId: string,
  emails: string[],
): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const refs = new Map(emails.map((e) => [e, erasedAddress(secrets, accountId, e)]));
  const stored = await em.findBy(Suppression, { accountId, email: In([...emails, ...refs.values()]) });
  const hit = new Set(stored.map((s) => s.email));
  return new Set(emails.filter((e) => hit.has(e) || hit.has(refs.get(e)!)));
}
