import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { ref, str } from './1763683200000-Foundation';

/**
 * - invites.calendarUid: a reset's replacement carries its own event UID, so the old invite's
 *   event can be cancelled without cancelling the new one;
 * - notifications.sendBatch: the claims of one provider call share it (and the provider has it
 *   as metadata), so pending claims are settled with one search per batch.
 */
export class CalendarCancel1764201600000 implements MigrationInterface {
  name = 'CalendarCancel1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('invites', new TableColumn(str('calendarUid', 200, true)));
    await q.addColumn('notifications', new TableColumn(ref('sendBatch', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('notifications', 'sendBatch');
    await q.dropColumn('invites', 'calendarUid');
  }
}
