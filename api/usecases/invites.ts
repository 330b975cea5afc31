import type { Readable, Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import { type EntityManager, type FindOptionsWhere, In, IsNull, LessThan, Not } from 'typeorm';
import { type Config, DEFAULT_IMPORT_LIMITS } from '../../config/config';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { lockCampaign } from '../../db/locks';
import { holdFunds } from '../../money/ledger';
import { acceptsInvites, LAUNCHED_STATUSES, workflowIdFor } from '../../domain/campaign';
import { type ExpiresIn, inviteExpiry, linkState, reminderInstant } from '../../domain/link';
import { Campaign } from '../../entities/Campaign';
import { Contact } from '../../entities/Contact';
import { Invite } from '../../entities/Invite';
import { newInvite } from '../../entities/new-invite';
import {
  CsvFormatError,
  CsvHeaderError,
  CsvTooLargeError,
  CsvTooManyBytesError,
  readRecipientsCsv,
} from '../../recipients/csv';
import { checkEmail } from '../../recipients/email-address';
import { ImportSpool } from '../../recipients/import-spool';
import { invitesAddedSignal } from '../../workflows/campaign/messages';
import type { Caller } from '../auth';
import {
  CampaignEndedError,
  InsufficientBalanceError,
  InvalidStateError,
  InviteErasedError,
  InviteExpiredError,
  InviteResetError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../errors';
import type {
  BulkInvites,
  CreateInvite,
  FromContacts,
  ImportReport,
  InviteView,
  ListInvitesQuery,
} from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';
import { log } from '../../ops/log';
import { insertRows } from '../../db/insert-rows';
import { liveInvite } from '../../db/invite-scopes';
import { priceOf } from '../../money/price';

/** A recipient on its way in, with the row it came from (CSV) for the report. */
interface Incoming {
  row?: number;
  email: string | null;
  name: string | null;
  /** The recipient's IANA zone, already checked (api/schemas.ts TimeZone, recipients/csv.ts). */
  timeZone?: string | null;
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
interface Chunk {
  recipients: Incoming[];
  rejected: ImportReport['rejected'];
}

/** One CSV import's limits unless configured (`IMPORT_MAX_ROWS`, `IMPORT_MAX_BYTES`). */
export const { maxRows: MAX_IMPORT_ROWS, maxBytes: MAX_IMPORT_BYTES } = DEFAULT_IMPORT_LIMITS;
const IMPORT_CHUNK = 1000;
const EXPORT_PAGE = 1000;
const tooManyBytes = (maxBytes: number) =>
  new PayloadTooLargeError(
    `the CSV is larger than ${maxBytes} bytes${maxBytes % 2 ** 20 ? '' : ` (${maxBytes / 2 ** 20} MiB)`}; split the file`,
    maxBytes,
  );

export interface InviteServiceDeps {
  db: Database;
  temporal: Client;
  publicBaseUrl: string;
  /** One CSV import's limits (config `imports`); default DEFAULT_IMPORT_LIMITS. */
  importLimits?: Config['imports'];
}

export class InviteService {
  constructor(private readonly deps: InviteServiceDeps) {}

  urlOf(token: string): string {
    return `${this.deps.publicBaseUrl}/i/${token}`;
  }

  async addOne(caller: Caller, campaignId: string, input: CreateInvite): Promise<InviteView> {
    const { first: invite } = await this.add(
      caller,
      campaignId,
      () => [
        {
          recipients: [
            { email: input.email ?? null, name: input.name ?? null, timeZone: input.timeZone ?? null },
          ],
          rejected: [],
        },
      ],
      input,
    );
    if (!invite) throw new ValidationError([{ field: 'email', message: 'duplicate in campaign' }]);
    return this.view(invite, await this.loadCampaign(caller, campaignId));
  }

  async addBulk(caller: Caller, campaignId: string, input: BulkInvites): Promise<{ created: number }> {
    const recipients: Incoming[] =
      'count' in input
        ? Array.from({ length: input.count }, () => ({ email: null, name: null }))
        : input.recipients.map((r) => ({
            email: r.email,
            name: r.name ?? null,
            timeZone: r.timeZone ?? null,
          }));
    const chunk = dedupe(recipients);
    if (chunk.rejected.length)
      throw new ValidationError(
        chunk.rejected.map((r) => ({ field: `recipients.${r.row}.email`, message: r.reason })),
      );
    // All or nothing: an address already invited refuses the whole request, inside its transaction.
    const { count } = await this.add(caller, campaignId, () => [chunk], { ...input, allOrNothing: true });
    return { created: count };
  }

  async addFromContacts(
    caller: Caller,
    campaignId: string,
    input: FromContacts,
  ): Promise<{ created: number; skipped: number }> {
    const contacts = await this.deps.db.manager.findBy(Contact, {
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
    const { count } = await this.add(caller, campaignId, () => [{ recipients, rejected: [] }], input);
    return { created: count, skipped: contacts.length - count };
  }

  /**
   * Streams the CSV: 100,000 rows never sit in memory at once. The whole upload is read and
   * checked against the limits first, its good rows parked on disk; only then do they go in,
   * all in one transaction, so a refused import (too big, malformed, 402) changes nothing.
   */
  async importCsv(
    caller: Caller,
    campaignId: string,
    body: Readable,
    declaredBytes?: number,
  ): Promise<ImportReport> {
    const { maxRows, maxBytes } = this.deps.importLimits ?? DEFAULT_IMPORT_LIMITS;
    if (declaredBytes !== undefined && declaredBytes > maxBytes) throw tooManyBytes(maxBytes);
    const campaign = await this.loadCampaign(caller, campaignId);
    refuseUnlessAcceptingInvites(campaign);
    const spool = await ImportSpool.create();
    const started = performance.now();
    const seconds = () => Math.round((performance.now() - started) / 100) / 10;
    try {
      const rejected: ImportReport['rejected'] = [];
      let good = 0;
      try {
        const rows = readRecipientsCsv(body, {
          chunkSize: IMPORT_CHUNK,
          maxRows,
          maxBytes,
          // A million addresses as strings would double the API's memory; `fresh` confirms repeats.
          seen: 'fingerprints',
        });
        for await (const chunk of rows) {
          await spool.write(chunk.recipients);
          good += chunk.recipients.length;
          rejected.push(...chunk.rejected);
        }
        await spool.finish();
        // A million rows take minutes in all: the log says which half of the work is under way.
        log.info('import: file read and checked; inserting', {
          campaignId,
          rows: good,
          rejected: rejected.length,
          seconds: seconds(),
        });
      } catch (err) {
        if (err instanceof CsvTooManyBytesError) throw tooManyBytes(maxBytes);
        if (err instanceof CsvTooLargeError)
          throw new PayloadTooLargeError(`${err.message}; split the file (at most ${maxRows} rows)`);
        if (err instanceof CsvHeaderError || err instanceof CsvFormatError)
          throw new ValidationError([{ field: '(body)', message: err.message }]);
        throw err;
      }
      const chunks = async function* () {
        for await (const recipients of spool.chunks(IMPORT_CHUNK)) yield { recipients, rejected: [] };
      };
      const added = await this.add(caller, campaignId, chunks, {});
      rejected.push(...added.rejected);
      log.info('import: done', { campaignId, imported: added.count, seconds: seconds() });
      return { imported: added.count, rejected: rejected.sort((a, b) => a.row - b.row) };
    } finally {
      await spool.remove();
    }
  }

  /**
   * The one way invites come in: all of a request in one transaction, so a refusal adds
   * nothing. On a launched campaign that transaction also holds the cost (a 402 adds
   * nothing), then its workflow hears `invitesAdded` and sends without waiting. `chunks`
   * is a function so a retried transaction (deadlock) reads its input again.
   */
  private async add(
    caller: Caller,
    campaignId: string,
    chunks: () => Iterable<Chunk> | AsyncIterable<Chunk>,
    options: Options,
  ): Promise<{ count: number; first: Invite | undefined; rejected: ImportReport['rejected'] }> {
    const campaign = await this.loadCampaign(caller, campaignId);
    refuseUnlessAcceptingInvites(campaign);
    const now = new Date();
    const expiresAt = inviteExpiry(options.expiresIn, now);
    if (expiresAt && expiresAt <= now)
      throw new ValidationError([{ field: 'expiresIn', message: 'must be in the future' }]);
    const reminderAt = reminderInstant(expiresAt, options.reminderDaysBefore);
    const template = {
      expiresAt,
      reminderAt,
      reminderDaysBefore: options.reminderDaysBefore ?? null,
      held: options.send === false,
    };

    const result = await this.deps.db.transaction(async (em) => {
      const locked = await this.relock(em, caller, campaignId);
      // Empty under the lock: nothing else can add to it until we commit (a reset needs an
      // invite to replace), so only this request's own repeats can be taken.
      const wasEmpty = !(await em.exists(Invite, { where: { campaignId, ...liveInvite } }));
      // Counts, not rows: an import of 100,000 must not keep them all; one invite answers addOne.
      let count = 0;
      let first: Invite | undefined;
      const rejected: ImportReport['rejected'] = [];
      for await (const chunk of chunks()) {
        const fresh = await this.fresh(em, campaignId, chunk, wasEmpty);
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
      if (live) await this.hold(em, locked, count);
      return { count, first, rejected, live };
    });
    if (result.live && result.count > 0) await this.notifyWorkflow(campaignId);
    return result;
  }

  private async relock(em: EntityManager, caller: Caller, campaignId: string): Promise<Campaign> {
    const locked = await lockCampaign(em, campaignId, caller.accountId);
    if (!locked) throw new NotFoundError(`Campaign ${campaignId}`);
    refuseUnlessAcceptingInvites(locked);
    return locked;
  }

  private async hold(em: EntityManager, campaign: Campaign, count: number): Promise<void> {
    if (count === 0) return;
    const held = await holdFunds(em, {
      accountId: campaign.accountId,
      campaignId: campaign.id,
      amountCents: priceOf(count, campaign),
      key: `reserve:${campaign.id}:add:${newId()}`,
    });
    if (!held.ok) throw new InsufficientBalanceError(held.requiredCents, held.availableCents);
  }

  /** Signals are at-least-once and the workflow treats this one as "look again": safe to repeat. */
  private async notifyWorkflow(campaignId: string): Promise<void> {
    try {
      await this.deps.temporal.workflow.getHandle(workflowIdFor(campaignId)).signal(invitesAddedSignal);
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
  private async fresh(
    em: EntityManager,
    campaignId: string,
    chunk: Chunk,
    wasEmpty: boolean,
  ): Promise<{ rows: Incoming[]; rejected: ImportReport['rejected'] }> {
    const emails = chunk.recipients.flatMap((r) =>
      r.email && (!wasEmpty || r.maybeRepeat) ? [r.email] : [],
    );
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

  // ---- The invite table -------------------------------------------------------------

  async list(
    caller: Caller,
    campaignId: string,
    query: ListInvitesQuery,
  ): Promise<{ data: InviteView[]; nextCursor: string | null }> {
    const campaign = await this.loadCampaign(caller, campaignId);
    const rows = await this.deps.db.manager.find(Invite, {
      where: {
        campaignId,
        accountId: caller.accountId,
        ...liveInvite, // a reset's old invite stays in the audit log, not in reports
        ...(query.status ? { status: query.status } : {}),
        ...(query.assigned ? { email: query.assigned === 'true' ? Not(IsNull()) : IsNull() } : {}),
        ...(query.cursor ? { id: LessThan(decodeCursor(query.cursor)) } : {}),
      },
      order: { id: 'DESC' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return {
      data: page.map((i) => this.view(i, campaign)),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /** CSV of the selected invites (all when no ids), streamed, with full URLs and no formula cells. */
  async exportCsv(
    caller: Caller,
    campaignId: string,
    ids: string[] | undefined,
    out: Writable,
  ): Promise<void> {
    const campaign = await this.loadCampaign(caller, campaignId);
    const write = async (cells: (string | null | undefined)[]) => {
      if (!out.write(csvLine(cells)) && !out.destroyed) await drained(out);
    };
    const page = (where: FindOptionsWhere<Invite>) =>
      this.deps.db.manager.find(Invite, {
        where: { campaignId, accountId: caller.accountId, ...liveInvite, ...where },
        order: { id: 'DESC' },
        take: EXPORT_PAGE,
      });
    await write(['id', 'name', 'email', 'url', 'status', 'journey', 'sentAt', 'expiresAt', 'order']);
    // Selected ids are looked up a page at a time too (10,000 would overflow SQLite's IN list),
    // newest first as the whole-campaign export is.
    const selected = ids && [...new Set(ids)].sort().reverse();
    let cursor: string | undefined;
    for (let at = 0; !out.destroyed; at += EXPORT_PAGE) {
      const rows = selected
        ? await page({ id: In(selected.slice(at, at + EXPORT_PAGE)) })
        : await page(cursor ? { id: LessThan(cursor) } : {});
      for (const i of rows) {
        const v = this.view(i, campaign);
        await write([v.id, v.name, v.email, v.url, v.status, v.journey, v.sentAt, v.expiresAt, v.order]);
      }
      if (selected ? at + EXPORT_PAGE >= selected.length : rows.length < EXPORT_PAGE) break;
      cursor = rows[rows.length - 1].id;
    }
    out.end();
  }

  async find(caller: Caller, inviteId: string): Promise<Invite> {
    const invite = await this.deps.db.manager.findOneBy(Invite, {
      id: inviteId,
      accountId: caller.accountId,
    });
    if (!invite) throw new NotFoundError(`Invite ${inviteId}`);
    return invite;
  }

  async viewById(caller: Caller, inviteId: string): Promise<InviteView> {
    const invite = await this.find(caller, inviteId);
    return this.view(invite, await this.loadCampaign(caller, invite.campaignId));
  }

  /** Copy link. A reset invite's link shows "Link Expired": never hand it out; name the live one. */
  async link(caller: Caller, inviteId: string): Promise<{ url: string }> {
    const invite = await this.find(caller, inviteId);
    if (!invite.voidedAt) return { url: this.urlOf(invite.token) };
    const live = await this.replacementOf(caller, invite);
    // No live one at the end of its resets: erasure voided it (a reset always names a replacement).
    if (!live) throw new InviteErasedError(invite.id);
    throw new InviteResetError(invite.id, live.id, this.urlOf(live.token));
  }

  /**
   * The invite a send or reset may go to, or why not, before the workflow is asked: an erased
   * invite is gone; a campaign that is over has only dead links to email; and a plain resend of
   * an invite whose own expiry passed would email a dead one too (a reset starts it over).
   */
  async resendable(
    caller: Caller,
    inviteId: string,
    reset: false | { expiresIn?: ExpiresIn },
  ): Promise<Invite> {
    const invite = await this.find(caller, inviteId);
    if (invite.voidedAt && !(await this.replacementOf(caller, invite)))
      throw new InviteErasedError(invite.id);
    const campaign = await this.loadCampaign(caller, invite.campaignId);
    const now = new Date();
    const { reason } = linkState({ campaign, invite, now });
    const action = reset ? 'reset this invite' : 'send this invite';
    if (reason === 'campaign_ended' || reason === 'campaign_expired')
      throw new CampaignEndedError(
        action,
        campaign.id,
        reason === 'campaign_ended' ? campaign.status : 'expired',
      );
    if (!reset && reason === 'invite_expired') throw new InviteExpiredError(invite.id, invite.expiresAt!);
    const expiresAt = reset && reset.expiresIn !== undefined ? inviteExpiry(reset.expiresIn, now) : null;
    if (expiresAt && expiresAt <= now)
      throw new ValidationError([{ field: 'expiresIn', message: 'must be in the future' }]);
    return invite;
  }

  /** Follows resets (each voided invite points at the one that replaced it) to the live invite. */
  private async replacementOf(caller: Caller, invite: Invite): Promise<Invite | null> {
    let current = invite;
    for (let hop = 0; current.voidedAt && current.replacedById && hop < 1000; hop++) {
      const next = await this.deps.db.manager.findOneBy(Invite, {
        id: current.replacedById,
        accountId: caller.accountId,
      });
      if (!next) return null;
      current = next;
    }
    return current.voidedAt ? null : current;
  }

  view(i: Invite, campaign: Campaign): InviteView {
    return {
      id: i.id,
      name: i.name,
      email: i.email,
      timeZone: i.timeZone,
      url: this.urlOf(i.token),
      status: i.status,
      linkState: linkState({ campaign, invite: i, now: Date.now() }).state,
      journey: i.journey,
      sentAt: i.sentAt?.toISOString() ?? null,
      expiresAt: i.expiresAt?.toISOString() ?? null,
      reminderAt: i.reminderAt?.toISOString() ?? null,
      order: i.orderRef,
      delivery: { status: i.deliveryStatus, error: i.deliveryError },
      createdAt: i.createdAt.toISOString(),
    };
  }

  private async loadCampaign(caller: Caller, campaignId: string): Promise<Campaign> {
    const campaign = await this.deps.db.manager.findOneBy(Campaign, {
      id: campaignId,
      accountId: caller.accountId,
    });
    if (!campaign) throw new NotFoundError(`Campaign ${campaignId}`);
    return campaign;
  }
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

/** Resolves when the client has taken what was written, or has gone. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Spreadsheets run cells that start with = + - @ (or tab/CR) as formulas: prefix them with '. */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const csvLine = (cells: (string | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** The one rule (domain/campaign.ts), as the error the API answers with. */
function refuseUnlessAcceptingInvites(campaign: Campaign): void {
  if (!acceptsInvites(campaign.status)) throw new InvalidStateError('add invites to', campaign.status);
}
