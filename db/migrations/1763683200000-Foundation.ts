import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

// Written with TypeORM's Table API, not raw SQL, so one migration serves MySQL and SQLite.
export const id = (name = 'id'): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isPrimary: name === 'id',
});
export const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
export const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const at = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
export const cents = (name: string): TableColumnOptions => ({ name, type: 'bigint' });

export class Foundation1763683200000 implements MigrationInterface {
  name = 'Foundation1763683200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'accounts',
        columns: [
          id(),
          str('name', 200),
          str('ownerEmail', 320),
          cents('balanceCents'),
          cents('reservedCents'),
          at('createdAt'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id(),
          ref('accountId'),
          str('role', 16),
          str('keyHash', 64),
          str('prefix', 12),
          at('createdAt'),
          at('revokedAt', true),
        ],
        indices: [
          { name: 'IDX_api_keys_accountId', columnNames: ['accountId'] },
          { name: 'UQ_api_keys_keyHash', columnNames: ['keyHash'], isUnique: true },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'campaigns',
        columns: [
          id(),
          ref('accountId'),
          str('name', 200),
          { name: 'description', type: 'text', isNullable: true },
          str('status', 16),
          str('pausedReason', 32, true),
          str('pausedFrom', 16, true),
          at('startAt', true),
          at('expiresAt', true),
          { name: 'batchSize', type: 'int', isNullable: true },
          { name: 'batchGapMinutes', type: 'double' },
          { name: 'costPerInviteCents', type: 'int' },
          str('emailSubject', 300, true),
          str('emailFromName', 200, true),
          at('createdAt'),
          at('updatedAt'),
        ],
        indices: [
          { name: 'IDX_campaigns_accountId', columnNames: ['accountId'] },
          { name: 'IDX_campaigns_accountId_status', columnNames: ['accountId', 'status'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          id(),
          ref('accountId'),
          ref('campaignId', true),
          str('dedupeKey', 120),
          at('at'),
          str('actor', 64),
          str('action', 40),
          str('fromStatus', 16, true),
          str('toStatus', 16, true),
          str('reason', 300, true),
          { name: 'details', type: 'text', isNullable: true },
        ],
        indices: [
          { name: 'IDX_audit_entries_accountId', columnNames: ['accountId'] },
          { name: 'IDX_audit_entries_campaignId_id', columnNames: ['campaignId', 'id'] },
          { name: 'UQ_audit_entries_dedupeKey', columnNames: ['dedupeKey'], isUnique: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_entries', 'campaigns', 'api_keys', 'accounts']) await q.dropTable(table);
  }
}
