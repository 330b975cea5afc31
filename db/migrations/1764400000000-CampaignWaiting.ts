import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { at, str } from './1763683200000-Foundation';

/** A sending campaign that waits (the provider's rate limit): why, and until when, for the API. */
export class CampaignWaiting1764400000000 implements MigrationInterface {
  name = 'CampaignWaiting1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn(str('waitingReason', 16, true)));
    await q.addColumn('campaigns', new TableColumn(at('waitingUntil', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('campaigns', 'waitingUntil');
    await q.dropColumn('campaigns', 'waitingReason');
  }
}
