import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** How many requests an endpoint takes at once (issue 26); null: the server's WEBHOOK_CONCURRENCY. */
export class WebhookConcurrency1765470000000 implements MigrationInterface {
  name = 'WebhookConcurrency1765470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'webhook_endpoints',
      new TableColumn({ name: 'concurrency', type: 'int', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('webhook_endpoints', 'concurrency');
  }
}
