import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { at, cents, id, ref, str } from './1763683200000-Foundation';

export class Money1763769600000 implements MigrationInterface {
  name = 'Money1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn({ ...cents('reservedCents'), default: 0 }));
    await q.createTable(
      new Table({
        name: 'ledger_entries',
        columns: [
          id(),
          ref('accountId'),
          ref('campaignId', true),
          str('kind', 16),
          cents('amountCents'),
          str('idempotencyKey', 160),
          at('createdAt'),
        ],
        indices: [
          { name: 'IDX_ledger_entries_accountId_campaignId', columnNames: ['accountId', 'campaignId'] },
          { name: 'UQ_ledger_entries_idempotencyKey', columnNames: ['idempotencyKey'], isUnique: true },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'invites',
        columns: [
          id(),
          ref('accountId'),
          ref('campaignId'),
          str('token', 64),
          str('email', 320, true),
          str('name', 200, true),
          str('status', 8),
          str('journey', 16),
          at('expiresAt', true),
          at('sentAt', true),
          at('voidedAt', true),
          at('createdAt'),
        ],
        indices: [
          { name: 'IDX_invites_accountId', columnNames: ['accountId'] },
          { name: 'IDX_invites_campaignId_id', columnNames: ['campaignId', 'id'] },
          { name: 'UQ_invites_token', columnNames: ['token'], isUnique: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('invites');
    await q.dropTable('ledger_entries');
    await q.dropColumn('campaigns', 'reservedCents');
  }
}
