import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { at, id, ref, str } from './1763683200000-Foundation';

/** The account's sending limiter (sending/limits.ts): the slots it granted, and who waits for more. */
export class SendLimits1764300000000 implements MigrationInterface {
  name = 'SendLimits1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'send_grants',
        columns: [
          id(),
          ref('accountId'),
          ref('campaignId', true),
          { name: 'slots', type: 'int' },
          at('grantedAt'),
          at('completedAt', true),
          at('reapedAt', true),
        ],
        indices: [{ name: 'IDX_send_grants_account_completedAt', columnNames: ['accountId', 'completedAt'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'send_demand',
        columns: [
          { ...ref('accountId'), isPrimary: true },
          { ...ref('requester'), isPrimary: true },
          { ...str('priority', 8), isPrimary: true },
          { name: 'unmet', type: 'int' },
          at('askedAt'),
          at('heldUntil'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('send_demand');
    await q.dropTable('send_grants');
  }
}
