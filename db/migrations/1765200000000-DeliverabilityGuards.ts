import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * The complaint and bounce guards (issue 23 point 3): the account's thresholds (JSON text,
 * null = the defaults in domain/deliverability-guards.ts), and an index that makes counting a
 * campaign's sent, bounced and complained invites, after each complaint or hard bounce, a
 * scan of that campaign's index entries only.
 */
export class DeliverabilityGuards1765200000000 implements MigrationInterface {
  name = 'DeliverabilityGuards1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'accounts',
      new TableColumn({ name: 'deliverabilityGuards', type: 'text', isNullable: true }),
    );
    await q.createIndex(
      'invites',
      new TableIndex({
        name: 'IDX_invites_campaign_deliveryStatus',
        columnNames: ['campaignId', 'deliveryStatus'],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('invites', 'IDX_invites_campaign_deliveryStatus');
    await q.dropColumn('accounts', 'deliverabilityGuards');
  }
}
