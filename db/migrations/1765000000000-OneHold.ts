import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { at } from './1763683200000-Foundation';

/**
 * A campaign's sends are held in one place (activities/send/pipeline.ts): `waitingReason`,
 * `waitingUntil` and now `waitingSince`, whatever kind of send was held. The reminders' own
 * copy (`remindersHeldUntil/Since`) goes; a hold it kept lapses, and the next deadline finds
 * its reminders due and holds them again if they still must wait.
 */
export class OneHold1765000000000 implements MigrationInterface {
  name = 'OneHold1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn(at('waitingSince', true)));
    await q.dropColumn('campaigns', 'remindersHeldSince');
    await q.dropColumn('campaigns', 'remindersHeldUntil');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn(at('remindersHeldUntil', true)));
    await q.addColumn('campaigns', new TableColumn(at('remindersHeldSince', true)));
    await q.dropColumn('campaigns', 'waitingSince');
  }
}
