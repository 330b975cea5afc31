import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Stored Idempotency-Key answers now expire after a day (api/idempotency.ts), found by age;
 * and the ones kept so far cannot be trusted: their request fingerprints were unkeyed, and a
 * webhook endpoint's answer held its signing secret in clear. They are a replay cache and
 * no deployment holds any yet, so they are all dropped.
 */
export class IdempotencyExpiry1764900000000 implements MigrationInterface {
  name = 'IdempotencyExpiry1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM idempotency_keys');
    await q.createIndex(
      'idempotency_keys',
      new TableIndex({ name: 'IDX_idempotency_keys_created', columnNames: ['createdAt'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('idempotency_keys', 'IDX_idempotency_keys_created');
  }
}
