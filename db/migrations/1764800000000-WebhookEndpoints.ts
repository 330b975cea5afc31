import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { at, id, ref, str } from './1763683200000-Foundation';

/** Customers' webhook endpoints and the delivery log (activities/webhooks.ts). */
export class WebhookEndpoints1764800000000 implements MigrationInterface {
  name = 'WebhookEndpoints1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          id(),
          ref('accountId'),
          str('url', 2048),
          { name: 'events', type: 'text', isNullable: true },
          { name: 'secretSealed', type: 'text' },
          str('state', 16),
          ref('cursor'),
          { name: 'failures', type: 'int', default: 0 },
          at('failingSince', true),
          at('retryAt', true),
          at('disabledAt', true),
          at('createdAt'),
        ],
        indices: [{ name: 'IDX_webhook_endpoints_account', columnNames: ['accountId'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          id(),
          ref('endpointId'),
          ref('eventId'),
          str('eventType', 40),
          str('state', 16),
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'lastStatus', type: 'int', isNullable: true },
          { name: 'lastLatencyMs', type: 'int', isNullable: true },
          str('lastError', 300, true),
          at('lastAttemptAt', true),
          at('nextAttemptAt', true),
          at('createdAt'),
        ],
        indices: [
          { name: 'IDX_webhook_deliveries_event', columnNames: ['endpointId', 'eventId'], isUnique: true },
          { name: 'IDX_webhook_deliveries_state', columnNames: ['endpointId', 'state', 'eventId'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_deliveries');
    await q.dropTable('webhook_endpoints');
  }
}
