import { MoreThan } from 'typeorm';
import { Campaign } from '../../entities/Campaign';
import type { Database } from '../../db/database';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import { newId } from '../../db/ids';
import { type CampaignStatus, invalidStateReason } from '../../domain/campaign';
import { AuditEntry } from '../../entities/AuditEntry';
import type { Caller } from '../auth';
import type { AccountAuditQuery } from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';

export class AuditService {
  constructor(private readonly db: Database) {}

  /** Oldest first: the log reads as a story. */
  async list(caller: Caller, campaignId: string, limit: number, cursor?: string) {
    const rows = await this.db.manager.find(AuditEntry, {
      where: {
        accountId: caller.accountId,
        campaignId,
        ...(cursor ? { id: MoreThan(decodeCursor(cursor)) } : {}),
      },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    const data = rows.slice(0, limit).map(entryView);
    return { data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1].id) : null };
  }

  /**
   * The whole account's log, newest first (what changed lately is what one looks for):
   * campaign entries and the account's own (policy, keys, endpoints, erasures). A kind matches
   * its action exactly, and a family by its first part: `refused` is every `refused:<command>`.
   */
  async listAccount(caller: Caller, query: AccountAuditQuery) {
    const q = this.db.manager
      .createQueryBuilder(AuditEntry, 'a')
      .where('a.accountId = :accountId', { accountId: caller.accountId });
    if (query.campaignId) q.andWhere('a.campaignId = :campaignId', { campaignId: query.campaignId });
    if (query.actor) q.andWhere('a.actor = :actor', { actor: query.actor });
    if (query.action)
      // SUBSTR, not LIKE: `_` in an action name would be a wildcard there.
      q.andWhere('(a.action = :action OR SUBSTR(a.action, 1, :n) = :family)', {
        action: query.action,
        family: `${query.action}:`,
        n: query.action.length + 1,
      });
    if (query.cursor) q.andWhere('a.id < :cursor', { cursor: decodeCursor(query.cursor) });
    const rows = await q
      .orderBy('a.id', 'DESC')
      .take(query.limit + 1)
      .getMany();
    const page = rows.slice(0, query.limit);
    const ids = [...new Set(page.flatMap((e) => (e.campaignId ? [e.campaignId] : [])))];
    const names = new Map(
      (ids.length
        ? await this.db.manager.find(Campaign, {
            where: ids.map((id) => ({ id, accountId: caller.accountId })),
            select: { id: true, name: true },
          })
        : []
      ).map((c) => [c.id, c.name]),
    );
    return {
      data: page.map((e) => ({
        ...entryView(e),
        campaignId: e.campaignId,
        campaignName: e.campaignId ? (names.get(e.campaignId) ?? null) : null,
      })),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /**
   * A command refused by the API itself: the campaign's workflow has ended and cannot answer,
   * or one part of a multi-part edit is refused before any is applied. It reads as the
   * workflow's own refusals do.
   */
  async refused(caller: Caller, campaignId: string, command: string, status: CampaignStatus): Promise<void> {
    await this.db.transaction((em) =>
      appendAudit(em, oneOffAuditKey('refused', newId()), {
        accountId: caller.accountId,
        campaignId,
        actor: caller.keyId,
        action: `refused:${command}`,
        fromStatus: status,
        reason: invalidStateReason(command, status),
      }),
    );
  }
}

const entryView = (e: AuditEntry) => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  reason: e.reason,
  details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null,
});
