/**
 * One-click unsubscribe (RFC 8058, RFC 2369): the token each campaign email carries in its
 * `List-Unsubscribe` header and body, and the one way an unsubscribe is recorded, whoever
 * reports it (the mail client's one-click POST, the page's button, the provider).
 */
import { addCount } from '../db/analytics-counts';
import { timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../audit/log';
import { newId } from '../db/ids';
import type { Account } from '../entities/Account';
import { Suppression, type SuppressionReason, type SuppressionSource } from '../entities/Suppression';
import type { SecretBox } from '../security/secrets';
import { recordEvents } from '../webhooks/events';

/** Postmark's default broadcast stream: campaign email goes there unless the account names its own. */
export const DEFAULT_BROADCAST_STREAM = 'broadcast';

/** The stream an account's campaign email goes on. Herald's notices to the owner stay on `outbound`. */
export const broadcastStreamOf = (account: Pick<Account, 'messageStream'>): string =>
  account.messageStream ?? DEFAULT_BROADCAST_STREAM;

const MAC_HEX = 32; // 128 bits
const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f]{32})$/;

const macOf = (secrets: SecretBox, inviteId: string) =>
  secrets.fingerprint(`unsubscribe:${inviteId}`).slice(0, MAC_HEX);

/**
 * The invite's unsubscribe token: its id and a keyed MAC of it under SECRET_KEY. Derived, so
 * nothing is stored per invite; unguessable without the key; never the invite's own token, so
 * unsubscribing neither reveals nor uses nor voids the invitation link.
 */
export const unsubscribeToken = (secrets: SecretBox, inviteId: string): string =>
  `${inviteId}.${macOf(secrets, inviteId)}`;

/** The invite id a token stands for, or null unless its MAC matches exactly (compared in constant time). */
export function inviteOfUnsubscribeToken(secrets: SecretBox, token: string): string | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const given = Buffer.from(m[2]);
  const expected = Buffer.from(macOf(secrets, m[1]));
  return given.length === expected.length && timingSafeEqual(given, expected) ? m[1] : null;
}

export const unsubscribeUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/u/${encodeURIComponent(token)}`;

export interface Unsubscribe {
  accountId: string;
  /** The campaign and invite whose email it came from (null when the provider names none). */
  campaignId: string | null;
  inviteId: string | null;
  /** Normalised. */
  email: string;
  source: SuppressionSource;
}

/**
 * Suppresses the address for the account (reason `unsubscribed`), in the caller's
 * transaction: the next claim (recipients/suppressions.ts) skips it. The first time only, an
 * audit entry (ids, never the address) and a `recipient.unsubscribed` event are recorded with
 * it; an address already suppressed (for any reason) stays as it is. Returns whether it was new.
 */
export async function recordUnsubscribe(em: EntityManager, u: Unsubscribe): Promise<boolean> {
  const id = newId();
  await em
    .createQueryBuilder()
    .insert()
    .into(Suppression)
    .values({
      id,
      accountId: u.accountId,
      email: u.email,
      reason: 'unsubscribed' satisfies SuppressionReason,
      source: u.source,
      createdAt: new Date(),
    })
    .orIgnore()
    .execute();
  // Ignored: the address was suppressed already (or another request won the race).
  if (!(await em.existsBy(Suppression, { id }))) return false;
  const ids = { suppressionId: id, inviteId: u.inviteId, campaignId: u.campaignId };
  // The campaign's analytics count it, once, in the hour it happened.
  if (u.campaignId)
    await addCount(em, { accountId: u.accountId, campaignId: u.campaignId }, 'unsubscribed', new Date());
  await appendAudit(em, oneOffAuditKey('unsubscribe', id), {
    accountId: u.accountId,
    campaignId: u.campaignId,
    actor: 'recipient',
    action: 'recipient_unsubscribed',
    reason: u.source,
    details: { ...ids, source: u.source },
  });
  await recordEvents(em, [
    {
      accountId: u.accountId,
      campaignId: u.campaignId,
      type: 'recipient.unsubscribed',
      key: id,
      data: { ...ids, source: u.source },
    },
  ]);
  return true;
}
