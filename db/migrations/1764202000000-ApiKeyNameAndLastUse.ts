import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** Keys get a label their owner chose, and the time they were last used (GET /v1/api-keys). */
export class ApiKeyNameAndLastUse1764202000000 implements MigrationInterface {
  name = 'ApiKeyNameAndLastUse1764202000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('api_keys', [
      new TableColumn({ name: 'name', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'lastUsedAt', type: 'datetime', precision: 3, isNullable: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('api_keys', 'lastUsedAt');
    await q.dropColumn('api_keys', 'name');
  }
}
