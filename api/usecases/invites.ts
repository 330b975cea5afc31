import type { Readable, Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import { type EntityManager, In, IsNull, LessThan, Not } from 'typeorm';
import type { Database } from '../../db/database';
import { newId, newInviteToken } from '../../db/ids';
import { holdFunds, lockCampaign } from '../../db/ledger';
import { type CampaignStatus, isTerminal, workflowIdFor } from '../../domain/campaign';
import { inviteExpiry, linkState, reminderInstant } from '../../domain/link';
import { Campaign } from '../../entities/Campaign';
import { Contact } from '../../entities/Contact';
import { Invite } from '../../entities/Invite';
import { CsvFormatError, CsvHeaderError, CsvTooLargeError, readRecipientsCsv } from '../../invites/csv';
import { invitesAddedSignal } from '../../workflows/campaign';
import type { Caller } from '../auth';
import { InsufficientBalanceError, InvalidStateError, NotFoundError, ValidationError } from '../errors';
import type {
  BulkInvites,
  CreateInvite,
  FromContacts,
  ImportReport,
  InviteView,
  ListInvitesQuery,
} from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';

/** A recipient on its way in, with the row it came from (CSV) for the report. */
interface Incoming {
  row?: number;
  email: string | null;
  name: string | null;
}
interface Options {
  expiresIn?: string;
  reminderDaysBefore?: number;
  /** false: never emailed automatically (copy the link, or send it by hand). */
  send?: boolean;
  /** Refuse the chunk (and roll it back) when any recipient is already invited. */
  allOrNothing?: boolean;
}
interface Chunk {
  recipients: Incoming[];
  rejected: ImportReport['rejected'];
}

/** A launched campaign that is still running: adding invites there costs money up front. */
const LIVE: ReadonlySet<CampaignStatus> = new Set(['scheduled', 'launching', 'active', 'paused']);
const MAX_IMPORT_ROWS = 200_000;

export interface InviteServiceDeps {
  db: Database;
  temporal: Client;
  publicBaseUrl: string;
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
      [{ recipients: [{ email: input.email ?? null, name: input.name ?? null }], rejected: [] }],
      input,
    );
    if (!invite) throw new ValidationError([{ field: 'email', message: 'duplicate in campaign' }]);
    return this.view(invite, await this.loadCampaign(caller, campaignId));
  }

  async addBulk(caller: Caller, campaignId: string, input: BulkInvites): Promise<{ created: number }> {
    const recipients: Incoming[] =
      'count' in input
        ? Array.from({ length: input.count }, () => ({ email: null, name: null }))
        : input.recipients.map((r) => ({ email: r.email, name: r.name ?? null }));
    const chunk = dedupe(recipients);
    if (chunk.rejected.length)
      throw new ValidationError(
        chunk.rejected.map((r) => ({ field: `recipients.${r.row}.email`, message: r.reason })),
      );
    // All or nothing: an address already invited refuses the whole request, inside its transaction.
    const { count } = await this.add(caller, campaignId, [chunk], { ...input, allOrNothing: true });
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
    const { count } = await this.add(
      caller,
      campaignId,
      [{ recipients: contacts.map((c) => ({ email: c.email, name: c.name })), rejected: [] }],
      input,
    );
    return { created: count, skipped: contacts.length - count };
  }

  /** Streams the CSV: 100,000 rows never sit in memory at once; good rows go in per chunk. */
  async importCsv(caller: Caller, campaignId: string, body: Readable): Promise<ImportReport> {
    const rejected: ImportReport['rejected'] = [];
    let imported = 0;
    const chunks = (async function* () {
      try {
        for await (const chunk of readRecipientsCsv(body, { chunkSize: 1000, maxRows: MAX_IMPORT_ROWS })) {
          yield {
            recipients: chunk.recipients.map((r) => ({ row: r.row, email: r.email, name: r.name })),
            rejected: chunk.rejected,
          };
        }
      } catch (err) {
        if (err instanceof CsvHeaderError || err instanceof CsvTooLargeError || err instanceof CsvFormatError)
          throw new ValidationError([{ field: '(body)', message: err.message }]);
        throw err;
      }
    })();
    await this.add(caller, campaignId, chunks, {}, (inserted, chunkRejected) => {
      imported += inserted;
      rejected.push(...chunkRejected);
    });
    return { imported, rejected: rejected.sort((a, b) => a.row - b.row) };
  }

  /**
   * The one way invites come in. A draft takes each chunk in its own transaction. A
   * launched campaign takes everything in one transaction that also holds the cost, so a
   * 402 adds nothing; then its workflow hears `invitesAdded` and sends without waiting.
   */
  private async add(
    caller: Caller,
    campaignId: string,
    chunks: Iterable<Chunk> | AsyncIterable<Chunk>,
    options: Options,
    onChunk?: (inserted: number, rejected: ImportReport['rejected']) => void,
  ): Promise<{ count: number; first: Invite | undefined }> {
    const campaign = await this.loadCampaign(caller, campaignId);
    if (isTerminal(campaign.status)) throw new InvalidStateError('add invites to', campaign.status);
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
    // Counts, not rows: an import of 100,000 must not keep them all; one invite answers addOne.
    let count = 0;
    let first: Invite | undefined;

    const insertChunk = async (em: EntityManager, chunk: Chunk): Promise<number> => {
      const { rows, rejected } = await this.fresh(em, campaignId, chunk);
      const taken = chunk.recipients.length - rows.length;
      if (options.allOrNothing && taken > 0) {
        throw new ValidationError([
          { field: 'recipients', message: `${taken} already invited to this campaign` },
        ]);
      }
      const invites = rows.map((r) => this.newInvite(caller, campaignId, r, template, now));
      for (let i = 0; i < invites.length; i += 500) await em.insert(Invite, invites.slice(i, i + 500));
      count += invites.length;
      first ??= invites[0];
      onChunk?.(invites.length, rejected);
      return invites.length;
    };

    if (!LIVE.has(campaign.status)) {
      let wentLive = false;
      for await (const chunk of chunks) {
        await this.deps.db.transaction(async (em) => {
          const locked = await this.relock(em, caller, campaignId);
          const inserted = await insertChunk(em, chunk);
          // It launched mid-import: from here on, each chunk pays for itself.
          if (LIVE.has(locked.status)) {
            wentLive = true;
            await this.hold(em, locked, inserted);
          }
        });
      }
      if (wentLive) await this.notifyWorkflow(campaignId);
      return { count, first };
    }

    await this.deps.db.transaction(async (em) => {
      const locked = await this.relock(em, caller, campaignId);
      let total = 0;
      for await (const chunk of chunks) total += await insertChunk(em, chunk);
      await this.hold(em, locked, total);
    });
    await this.notifyWorkflow(campaignId);
    return { count, first };
  }

  private async relock(em: EntityManager, caller: Caller, campaignId: string): Promise<Campaign> {
    const locked = await lockCampaign(em, campaignId, caller.accountId);
    if (!locked) throw new NotFoundError(`Campaign ${campaignId}`);
    if (isTerminal(locked.status)) throw new InvalidStateError('add invites to', locked.status);
    return locked;
  }

  private async hold(em: EntityManager, campaign: Campaign, count: number): Promise<void> {
    if (count === 0) return;
    const held = await holdFunds(em, {
      accountId: campaign.accountId,
      campaignId: campaign.id,
      amountCents: count * campaign.costPerInviteCents,
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
      console.warn(`invitesAdded signal for campaign ${campaignId} failed: ${(err as Error).message}`);
    }
  }

  /** Drops addresses already invited to this campaign (one indexed query per chunk). */
  private async fresh(
    em: EntityManager,
    campaignId: string,
    chunk: Chunk,
  ): Promise<{ rows: Incoming[]; rejected: ImportReport['rejected'] }> {
    const emails = chunk.recipients.flatMap((r) => (r.email ? [r.email] : []));
    const taken = new Set<string>();
    for (let i = 0; i < emails.length; i += 1000) {
      const existing = await em.find(Invite, {
        select: { email: true },
        where: { campaignId, email: In(emails.slice(i, i + 1000)), voidedAt: IsNull() },
      });
      for (const e of existing) if (e.email) taken.add(e.email);
    }
    const rejected = [...chunk.rejected];
    const rows = chunk.recipients.filter((r) => {
      if (!r.email || !taken.has(r.email)) return true;
      if (r.row !== undefined) rejected.push({ row: r.row, email: r.email, reason: 'duplicate in campaign' });
      return false;
    });
    return { rows, rejected };
  }

  private newInvite(
    caller: Caller,
    campaignId: string,
    r: Incoming,
    t: { expiresAt: Date | null; reminderAt: Date | null; reminderDaysBefore: number | null; held: boolean },
    now: Date,
  ): Invite {
    return {
      id: newId(now.getTime()),
      accountId: caller.accountId,
      campaignId,
      token: newInviteToken(),
      email: r.email,
      name: r.name,
      status: 'unused',
      journey: 'created',
      journeyAt: now,
      expiresAt: t.expiresAt,
      reminderDaysBefore: t.reminderDaysBefore,
      reminderAt: r.email ? t.reminderAt : null,
      reminderSentAt: null,
      sentAt: null,
      deliveryStatus: t.held && r.email ? 'held' : null,
      deliveryError: null,
      usedAt: null,
      orderRef: null,
      expiredAt: null,
      voidedAt: null,
      replacedById: null,
      calendarSequence: null,
      createdAt: now,
    };
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
        voidedAt: IsNull(), // a reset's old invite stays in the audit log, not in reports
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
    out.write(csvLine(['id', 'name', 'email', 'url', 'status', 'journey', 'sentAt', 'expiresAt', 'order']));
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.deps.db.manager.find(Invite, {
        where: {
          campaignId,
          accountId: caller.accountId,
          voidedAt: IsNull(),
          ...(ids ? { id: In(ids) } : {}),
          ...(cursor ? { id: LessThan(cursor) } : {}),
        },
        order: { id: 'DESC' },
        take: ids ? undefined : 1000,
      });
      for (const i of rows) {
        const v = this.view(i, campaign);
        out.write(
          csvLine([v.id, v.name, v.email, v.url, v.status, v.journey, v.sentAt, v.expiresAt, v.order]),
        );
      }
      if (ids || rows.length < 1000) break;
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

  async link(caller: Caller, inviteId: string): Promise<{ url: string }> {
    const invite = await this.deps.db.manager.findOneBy(Invite, {
      id: inviteId,
      accountId: caller.accountId,
    });
    if (!invite) throw new NotFoundError(`Invite ${inviteId}`);
    return { url: this.urlOf(invite.token) };
  }

  view(i: Invite, campaign: Campaign): InviteView {
    return {
      id: i.id,
      name: i.name,
      email: i.email,
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

/** Spreadsheets run cells that start with = + - @ (or tab/CR) as formulas: prefix them with '. */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const csvLine = (cells: (string | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;
