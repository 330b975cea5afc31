import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { at, id, ref, str } from './1763683200000-Foundation';

/**
 * Every attempt of a webhook delivery (status, latency, next attempt), not only the last one,
 * and why an endpoint is disabled: a person may disable it too now (issue 24).
 */
export class WebhookAttempts1765460000000 implements MigrationInterface {
  name = 'WebhookAttempts1765460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webhook_attempts',
        columns: [
          id(),
          ref('accountId'),
          ref('endpointId'),
          ref('deliveryId'),
          at('at'),
          { name: 'status', type: 'int', isNullable: true },
          { name: 'latencyMs', type: 'int' },
          str('error', 300, true),
          at('nextAttemptAt', true),
        ],
        indices: [
          { name: 'IDX_webhook_attempts_delivery', columnNames: ['deliveryId', 'id'] },
          { name: 'IDX_webhook_attempts_account', columnNames: ['accountId'] },
        ],
      }),
    );
    await q.addColumn('webhook_endpoints', new TableColumn(str('disabledReason', 16, true)));
    // Endpoints disabled before this were all disabled for failing.
    await q.query(`UPDATE webhook_endpoints SET disabledReason = 'failing' WHERE state = 'disabled'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('webhook_endpoints', 'disabledReason');
    await q.dropTable('webhook_attempts');
  }
}
