import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers of `POST /v1/api-keys` kept for Idempotency-Key replays used to hold the new key
 * in clear. They are no longer stored (api/idempotency.ts); drop the ones already there.
 */
export class ForgetStoredApiKeys1764202000001 implements MigrationInterface {
  name = 'ForgetStoredApiKeys1764202000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_keys WHERE responseBody LIKE '%"key":"hk!_%' ESCAPE '!'`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the keys are gone on purpose.
  }
}
