import { MoreThan } from 'typeorm';
import type { Database } from '../../db/database';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import { newId } from '../../db/ids';
import { type CampaignStatus, invalidStateReason } from '../../domain/campaign';
import { AuditEntry } from '../../entities/AuditEntry';
import type { Caller } from '../auth';
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
    const data = rows.slice(0, limit).map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      reason: e.reason,
      details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null,
    }));
    return { data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1].id) : null };
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
