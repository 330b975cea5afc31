import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { at, id, ref, str } from './1763683200000-Foundation';

/** The outbox of events for the customer's systems (webhooks/events.ts). */
export class WebhookEvents1764600000000 implements MigrationInterface {
  name = 'WebhookEvents1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webhook_events',
        columns: [
          id(),
          ref('accountId'),
          ref('campaignId', true),
          str('type', 40),
          str('dedupeKey', 160),
          { name: 'payload', type: 'text' },
          at('createdAt'),
        ],
        indices: [
          { name: 'IDX_webhook_events_account_id', columnNames: ['accountId', 'id'] },
          { name: 'IDX_webhook_events_dedupeKey', columnNames: ['dedupeKey'], isUnique: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_events');
  }
}
