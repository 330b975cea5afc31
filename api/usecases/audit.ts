import { MoreThan } from 'typeorm';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
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

  /** For refusals the API decides itself (the campaign's workflow has already ended). */
  async refused(caller: Caller, campaignId: string, command: string, status: string): Promise<void> {
    const id = newId();
    await this.db.transaction((em) =>
      em.insert(AuditEntry, {
        id,
        accountId: caller.accountId,
        campaignId,
        dedupeKey: `api:${id}`,
        at: new Date(),
        actor: caller.keyId,
        action: `refused:${command}`,
        fromStatus: status,
        toStatus: null,
        reason: `invalid_state: cannot ${command} when ${status}`,
        details: null,
      }),
    );
  }
}
