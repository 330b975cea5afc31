import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { str } from './1763683200000-Foundation';

/**
 * One-click unsubscribe and message streams (issue 23): where a suppression came from
 * (`one-click`, `page`, `provider`; null for rows written before), and the account's
 * Postmark stream for campaign mail (null: `broadcast`).
 */
export class Unsubscribe1765100000000 implements MigrationInterface {
  name = 'Unsubscribe1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('suppressions', new TableColumn(str('source', 20, true)));
    await q.addColumn('accounts', new TableColumn(str('messageStream', 50, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('accounts', 'messageStream');
    await q.dropColumn('suppressions', 'source');
  }
}
