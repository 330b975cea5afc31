import type { Client } from '@temporalio/client';
import { type EntityManager, In } from 'typeorm';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { insertRows } from '../../db/insert-rows';
import { liveInvite } from '../../db/invite-scopes';
import { acceptsInvites, LAUNCHED_STATUSES, workflowIdFor } from '../../domain/campaign';
import { reminderInstant } from '../../domain/link';
import type { Campaign } from '../../entities/Campaign';
import { Contact } from '../../entities/Contact';
import { Invite } from '../../entities/Invite';
import { newInvite } from '../../entities/new-invite';
import { holdFunds } from '../../money/ledger';
import { priceOf } from '../../money/price';
import { log } from '../../ops/log';
import { checkEmail } from '../../recipients/email-address';
import { invitesAddedSignal } from '../../workflows/campaign/messages';
import type { SecretBox } from '../../security/secrets';
import type { Caller } from '../auth';
import { InsufficientBalanceError, InvalidStateError, ValidationError } from '../errors';
import type { BulkInvites, CreateInvite, FromContacts, ImportReport, InviteView } from '../schemas';
import { inviteDeadlines } from './invite-deadlines';
import { inviteView, suppressionsOf } from './invite-view';
import { lockOwnedCampaign, ownedCampaign } from './owned';

/** Invites coming in: one, a list, saved contacts (and the CSV import, invite-import.ts). */
export interface IntakeDeps {
  db: Database;
  temporal: Client;
  publicBaseUrl: string;
  secrets: SecretBox;
}

/** A recipient on its way in, with the row it came from (CSV) for the report. */
interface Incoming {
  row?: number;
  email: string | null;
  name: string | null;
  /** The recipient's IANA zone, already checked (api/schemas TimeZone, recipients/csv.ts). */
  timeZone?: string | null;
  /** E.164, already checked (recipients/phone.ts). */
  phone?: string | null;
  /** An earlier row of the upload may have had this address (recipients/csv.ts fingerprints). */
  maybeRepeat?: boolean;
}
interface Options {
  expiresIn?: string;
  reminderDaysBefore?: number;
  /** false: never emailed automatically (copy the link, or send it by hand). */
  send?: boolean;
  /** Refuse the request (and roll it back) when any recipient is already invited. */
  allOrNothing?: boolean;
}
export interface Chunk {
  recipients: Incoming[];
  rejected: ImportReport['rejected'];
}

export async function addOne(
  deps: IntakeDeps,
  caller: Caller,
  campaignId: string,
  input: CreateInvite,
): Promise<InviteView> {
  const { first: invite } = await addInvites(
    deps,
    caller,
    campaignId,
    () => [
      {
        recipients: [
          {
            email: input.email ?? null,
            name: input.name ?? null,
            timeZone: input.timeZone ?? null,
            phone: input.phone ?? null,
          },
        ],
        rejected: [],
      },
    ],
    input,
  );
  if (!invite) throw new ValidationError([{ field: 'email', message: 'duplicate in campaign' }]);
  const suppressed = await suppressionsOf(deps.db.manager, deps.secrets, caller.accountId, [invite]);
  return inviteView(
    deps.publicBaseUrl,
    invite,
    await ownedCampaign(deps.db, caller, campaignId),
    suppressed(invite),
  );
}

export async function addBulk(
  deps: IntakeDeps,
  caller: Caller,
  campaignId: string,
  input: BulkInvites,
): Promise<{ created: number }> {
  const recipients: Incoming[] =
    'count' in input
      ? Array.from({ length: input.count }, () => ({ email: null, name: null }))
      : input.recipients.map((r) => ({
          email: r.email,
          name: r.name ?? null,
          timeZone: r.timeZone ?? null,
          phone: r.phone ?? null,
        }));
  const chunk = dedupe(recipients);
  if (chunk.rejected.length)
    throw new ValidationError(
      chunk.rejected.map((r) => ({ field: `recipients.${r.row}.email`, message: r.reason })),
    );
  // All or nothing: an address already invited refuses the whole request, inside its transaction.
  const { count } = await addInvites(deps, caller, campaignId, () => [chunk], {
    ...input,
    allOrNothing: true,
  });
  return { created: count };
}

export async function addFromContacts(
  deps: IntakeDeps,
  caller: Caller,
  campaignId: string,
  input: FromContacts,
): Promise<{ created: number; skipped: number }> {
  const contacts = await deps.db.manager.findBy(Contact, {
    accountId: caller.accountId,
    id: In(input.contactIds),
  });
  const missing = input.contactIds.filter((id) => !contacts.some((c) => c.id === id));
  if (missing.length)
    throw new ValidationError(missing.map((id) => ({ field: 'contactIds', message: `no contact ${id}` })));
  // Contacts saved before today's address check are checked again on their way in.
  const recipients: Incoming[] = [];
  const bad: { field: string; message: string }[] = [];
  for (const c of contacts) {
    const checked = checkEmail(c.email);
    if (checked.ok) recipients.push({ email: checked.email, name: c.name });
    else bad.push({ field: `contacts.${c.id}.email`, message: checked.reason });
  }
  if (bad.length) throw new ValidationError(bad);
  const { count } = await addInvites(deps, caller, campaignId, () => [{ recipients, rejected: [] }], input);
  return { created: count, skipped: contacts.length - count };
}

/**
 * The one way invites come in: all of a request in one transaction, so a refusal adds
 * nothing. On a launched campaign that transaction also holds the cost (a 402 adds
 * nothing), then its workflow hears `invitesAdded` and sends without waiting. `chunks`
 * is a function so a retried transaction (deadlock) reads its input again.
 */
export async function addInvites(
  deps: IntakeDeps,
  caller: Caller,
  campaignId: string,
  chunks: () => Iterable<Chunk> | AsyncIterable<Chunk>,
  options: Options,
): Promise<{ count: number; first: Invite | undefined; rejected: ImportReport['rejected'] }> {
  const campaign = await ownedCampaign(deps.db, caller, campaignId);
  refuseUnlessAcceptingInvites(campaign);
  const now = new Date();
  // The request's own expiry and reminder, else the campaign's invite defaults.
  const { expiresAt, reminderDaysBefore } = inviteDeadlines(options, campaign, now);
  const template = {
    expiresAt,
    reminderAt: reminderInstant(expiresAt, reminderDaysBefore),
    reminderDaysBefore,
    held: options.send === false,
  };

  const result = await deps.db.transaction(async (em) => {
    const locked = await relock(em, caller, campaignId);
    // Empty under the lock: nothing else can add to it until we commit (a reset needs an
    // invite to replace), so only this request's own repeats can be taken.
    const wasEmpty = !(await em.exists(Invite, { where: { campaignId, ...liveInvite } }));
    // Counts, not rows: an import of 100,000 must not keep them all; one invite answers addOne.
    let count = 0;
    let first: Invite | undefined;
    const rejected: ImportReport['rejected'] = [];
    for await (const chunk of chunks()) {
      const fresh = await withoutTaken(em, campaignId, chunk, wasEmpty);
      const taken = chunk.recipients.length - fresh.rows.length;
      if (options.allOrNothing && taken > 0) {
        throw new ValidationError([
          { field: 'recipients', message: `${taken} already invited to this campaign` },
        ]);
      }
      const invites = fresh.rows.map((r) =>
        newInvite(
          {
            accountId: caller.accountId,
            campaignId,
            email: r.email,
            name: r.name,
            timeZone: r.timeZone ?? null,
            phone: r.phone ?? null,
            expiresAt: template.expiresAt,
            reminderDaysBefore: template.reminderDaysBefore,
            reminderAt: r.email ? template.reminderAt : null,
            deliveryStatus: template.held && r.email ? 'held' : null,
          },
          now,
        ),
      );
      await insertRows(em, Invite, invites);
      count += invites.length;
      first ??= invites[0];
      rejected.push(...fresh.rejected);
    }
    // A launched campaign holds its cost: invites added there are paid for up front.
    const live = LAUNCHED_STATUSES.has(locked.status);
    if (live) await hold(em, locked, count);
    return { count, first, rejected, live };
  });
  if (result.live && result.count > 0) await notifyWorkflow(deps.temporal, campaignId);
  return result;
}

async function relock(em: EntityManager, caller: Caller, campaignId: string): Promise<Campaign> {
  const locked = await lockOwnedCampaign(em, caller, campaignId);
  refuseUnlessAcceptingInvites(locked);
  return locked;
}

async function hold(em: EntityManager, campaign: Campaign, count: number): Promise<void> {
  if (count === 0) return;
  const held = await holdFunds(em, {
    accountId: campaign.accountId,
    campaignId: campaign.id,
    amountCents: priceOf(count, campaign),
    key: `reserve:${campaign.id}:add:${newId()}`,
  });
  if (!held.ok) throw new InsufficientBalanceError(held.requiredCents, held.availableCents);
}

/**
 * Signals are at-least-once and the workflow treats this one as "look again" (unsent invites,
 * and the invites' deadlines: a changed expiry, invite-deadlines.ts): safe to repeat.
 */
export async function notifyWorkflow(temporal: Client, campaignId: string): Promise<void> {
  try {
    await temporal.workflow.getHandle(workflowIdFor(campaignId)).signal(invitesAddedSignal);
  } catch (err) {
    // The invites are stored; the workflow also looks for unsent invites whenever it wakes.
    log.warn('invitesAdded signal failed', { campaignId, error: (err as Error).message });
  }
}
/**
 * Drops addresses already invited to this campaign (one indexed query per chunk). The rows
 * an import stored before this chunk are among them, in this transaction: so a row that may
 * repeat an earlier one of the file (`maybeRepeat`) is confirmed here, or let in. In a
 * campaign that was empty, only those can be taken, and only they are looked up: at a
 * million rows the lookup of every address read the index from disk, chunk after chunk.
 */
async function withoutTaken(
  em: EntityManager,
  campaignId: string,
  chunk: Chunk,
  wasEmpty: boolean,
): Promise<{ rows: Incoming[]; rejected: ImportReport['rejected'] }> {
  const emails = chunk.recipients.flatMap((r) => (r.email && (!wasEmpty || r.maybeRepeat) ? [r.email] : []));
  const taken = new Set<string>();
  for (let i = 0; i < emails.length; i += 1000) {
    const existing = await em.find(Invite, {
      select: { email: true },
      where: { campaignId, email: In(emails.slice(i, i + 1000)), ...liveInvite },
    });
    for (const e of existing) if (e.email) taken.add(e.email);
  }
  const rejected = [...chunk.rejected];
  const inChunk = new Set<string>();
  const rows = chunk.recipients.filter((r) => {
    if (!r.email) return true;
    const repeat = r.maybeRepeat && (taken.has(r.email) || inChunk.has(r.email));
    inChunk.add(r.email);
    if (!repeat && !taken.has(r.email)) return true;
    if (r.row !== undefined)
      rejected.push({
        row: r.row,
        email: r.email,
        reason: repeat ? 'duplicate in file' : 'duplicate in campaign',
      });
    return false;
  });
  return { rows, rejected };
}

/** Repeated addresses within one request. */
function dedupe(recipients: Incoming[]): Chunk {
  const seen = new Set<string>();
  const rejected: ImportReport['rejected'] = [];
  recipients.forEach((r, index) => {
    if (!r.email) return;
    if (seen.has(r.email)) rejected.push({ row: index, email: r.email, reason: 'duplicate in request' });
    seen.add(r.email);
  });
  return { recipients, rejected };
}

/** The one rule (domain/campaign.ts), as the error the API answers with. */
export function refuseUnlessAcceptingInvites(campaign: Campaign): void {
  if (!acceptsInvites(campaign.status)) throw new InvalidStateError('add invites to', campaign.status);
}
