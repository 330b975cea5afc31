import { LessThan } from 'typeorm';
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import { DevInboxEmail } from '../../entities/DevInboxEmail';
import type { Caller } from '../auth';
import { NotFoundError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';

/** The dev inbox (email/dev-inbox.ts): the account's emails that would have gone out, newest first. */
export class OutboxService {
  constructor(
    private readonly db: Database,
    private readonly provider: Config['email']['provider'],
  ) {}

  async list(caller: Caller, { limit, cursor }: { limit: number; cursor?: string }) {
    if (this.provider !== 'outbox') throw new NotFoundError('The outbox (EMAIL_PROVIDER=outbox)');
    const rows = await this.db.manager.find(DevInboxEmail, {
      where: {
        accountId: caller.accountId,
        ...(cursor ? { id: LessThan(decodeCursor(cursor)) } : {}),
      },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map((m) => ({
        id: m.id,
        to: m.toAddress,
        from: m.fromAddress,
        subject: m.subject,
        text: m.textBody,
        html: m.html,
        metadata: JSON.parse(m.metadata) as unknown,
        createdAt: m.createdAt.toISOString(),
      })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }
}
