import type { EntityManager } from 'typeorm';
import { newId } from '../db/ids';
import { AuditEntry } from '../entities/AuditEntry';

/**
 * The audit log's one writer: every row of `audit_entries` is inserted by `appendAudit`.
 *
 * Each row has a dedupe key (a unique index): appending a key that is already there is a
 * no-op, so a retried write never doubles a row. Keys come only from the two builders below,
 * in one of two shapes:
 *
 * - `<campaignId>:<seq>` (`workflowAuditKey`): the campaign workflow's entries, numbered by
 *   the `seq` it carries in its state. This shape predates the others and must never change:
 *   rows in production carry it, and an activity retried (or a run resumed) after a deploy
 *   writes the same seq again and has to find the row it wrote before — a new shape would
 *   double the entry and the status change it commits with. No other key starts with a
 *   campaign id.
 * - `<source>:<id>[:<id>]` (`oneOffAuditKey`): any other entry, named by what wrote it and the
 *   ids that make the event what it is, so that a repeat of the same event has the same key:
 *   `created:<campaignId>`, `reset:<old inviteId>` (an invite is reset once),
 *   `erasure:<erasureId>:<campaignId or "account">`; an entry nothing repeats takes a fresh
 *   id: the API's refusal of one request (`refused:<new id>`), a setting one request changed
 *   (`settings:<new id>`: a campaign's send window, the account's sending policy, settings
 *   and sender), an API key created or revoked (`api-key:<key id>:created|revoked`: each
 *   happens once), a webhook endpoint added or deleted (`webhook-endpoint:<endpoint
 *   id>:created|deleted`) or enabled again (`webhook-endpoint:<endpoint id>:<new id>`), a wrong
 *   answer at a link that asks for the recipient's address (`link:<new id>`), an unsubscribe
 *   (`unsubscribe:<suppression id>`, once per suppression), an admin lifting one
 *   (`suppression:<suppression id>`), a test send (`test-send:<new id>`), one invite's expiry or
 *   reminder changed (`invite:<new id>`).
 *
 * A key is at most 120 characters (the column): a source and two ids fit.
 */
export type AuditKey = string & { readonly __auditKey: true };

/** The workflow's `seq`-th entry for its campaign: see above for why the shape is fixed. */
export const workflowAuditKey = (campaignId: string, seq: number): AuditKey =>
  `${campaignId}:${seq}` as AuditKey;

/** What writes one-off entries (the first part of their keys). */
export type AuditSource =
  | 'created'
  | 'refused'
  | 'reset'
  | 'erasure'
  | 'settings'
  | 'link'
  | 'unsubscribe'
  | 'suppression'
  | 'test-send'
  | 'invite'
  | 'api-key'
  | 'webhook-endpoint';

export const oneOffAuditKey = (source: AuditSource, ...ids: [string, ...string[]]): AuditKey =>
  [source, ...ids].join(':') as AuditKey;

/** One line of the log, as its writer knows it; the id and the key are added here. */
export interface AuditLine {
  accountId: string;
  /** Null for an entry about the account as a whole (e.g. an erasure). */
  campaignId: string | null;
  /** An API key id, `temporal-signal` or `system` (domain/campaign.ts). */
  actor: string;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
  /** Defaults to now; a writer that stamps its own rows passes the same instant. */
  at?: Date;
}

/**
 * Appends the line unless its key is already in the log, inside the caller's transaction so
 * the entry commits with the change it records. Returns whether it wrote: a caller applies its
 * change only when it did, which makes the whole step a no-op on retry. Two writers racing on
 * one key: the second insert fails on the unique index, and its retry finds the row.
 */
export async function appendAudit(em: EntityManager, key: AuditKey, line: AuditLine): Promise<boolean> {
  if (await em.existsBy(AuditEntry, { dedupeKey: key })) return false;
  await em.insert(AuditEntry, {
    id: newId(),
    dedupeKey: key,
    at: line.at ?? new Date(),
    accountId: line.accountId,
    campaignId: line.campaignId,
    actor: line.actor,
    action: line.action,
    fromStatus: line.fromStatus ?? null,
    toStatus: line.toStatus ?? null,
    reason: line.reason ?? null,
    details: line.details ? JSON.stringify(line.details) : null,
  });
  return true;
}
