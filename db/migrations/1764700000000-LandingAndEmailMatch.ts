import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { str } from './1763683200000-Foundation';

/**
 * A campaign's own landing page (`landingUrl`: a ready link redirects there) and whether its
 * links ask the visitor for their email address first (`requireEmailMatch`).
 */
export class LandingAndEmailMatch1764700000000 implements MigrationInterface {
  name = 'LandingAndEmailMatch1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn(str('landingUrl', 2000, true)));
    await q.addColumn(
      'campaigns',
      new TableColumn({ name: 'requireEmailMatch', type: 'boolean', isNullable: false, default: false }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('campaigns', 'requireEmailMatch');
    await q.dropColumn('campaigns', 'landingUrl');
  }
}
