import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { at } from './1763683200000-Foundation';

/**
 * The grace an account allows after a campaign's expiry, during which extending the expiry
 * revives it; and, per campaign, the instant that grace ends (fixed when it expired).
 */
export class ExpiryGrace1764028800000 implements MigrationInterface {
  name = 'ExpiryGrace1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('accounts', new TableColumn({ name: 'expiryGraceDays', type: 'double', default: 0 }));
    await q.addColumn('campaigns', new TableColumn(at('extendableUntil', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('campaigns', 'extendableUntil');
    await q.dropColumn('accounts', 'expiryGraceDays');
  }
}
