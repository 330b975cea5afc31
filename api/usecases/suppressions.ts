import { LessThan } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import type { Database } from '../../db/database';
import { Suppression, type SuppressionReason } from '../../entities/Suppression';
import type { Caller } from '../auth';
import { ConflictError, NotFoundError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';

const view = (s: Suppression) => ({
  id: s.id,
  email: s.email,
  reason: s.reason,
  source: s.source ?? null,
  createdAt: s.createdAt.toISOString(),
});

/**
 * The account's suppression list, as an admin sees and mends it. Only an unsubscribe can be
 * lifted (the person asked, and may ask again to be mailed); a hard bounce or a spam
 * complaint stays, as inbox providers expect.
 */
export class SuppressionService {
  constructor(private readonly db: Database) {}

  async list(
    caller: Caller,
    q: { limit: number; cursor?: string; email?: string; reason?: SuppressionReason },
  ) {
    const rows = await this.db.manager.find(Suppression, {
      where: {
        accountId: caller.accountId,
        ...(q.email ? { email: q.email } : {}),
        ...(q.reason ? { reason: q.reason } : {}),
        ...(q.cursor ? { id: LessThan(decodeCursor(q.cursor)) } : {}),
      },
      order: { id: 'DESC' },
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(view),
      nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /** Lifts an unsubscribe: the address may be emailed again. Audited, without the address. */
  async lift(caller: Caller, id: string) {
    return this.db.transaction(async (em) => {
      const row = await em.findOneBy(Suppression, { id, accountId: caller.accountId });
      if (!row) throw new NotFoundError('Suppression');
      if (row.reason !== 'unsubscribed')
        throw new ConflictError(
          `A suppression after ${row.reason === 'hard_bounce' ? 'a hard bounce' : 'a spam complaint'} is kept for good; only an unsubscribe can be lifted`,
        );
      await em.delete(Suppression, { id });
      await appendAudit(em, oneOffAuditKey('suppression', id), {
        accountId: caller.accountId,
        campaignId: null,
        actor: caller.keyId,
        action: 'suppression_lifted',
        reason: row.reason,
        details: { suppressionId: id, source: row.source ?? null },
      });
      return view(row);
    });
  }
}
