import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { str } from './1763683200000-Foundation';

/**
 * A campaign's invite defaults (issue 24): the expiry (`never`, `1d`, `7d`, `30d` or an ISO
 * instant, at most 40 characters) and the reminder an invite gets when it names none.
 */
export class InviteDefaults1765410000000 implements MigrationInterface {
  name = 'InviteDefaults1765410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('campaigns', [
      new TableColumn(str('inviteExpiresIn', 40, true)),
      new TableColumn({ name: 'inviteReminderDaysBefore', type: 'double', isNullable: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('campaigns', ['inviteReminderDaysBefore', 'inviteExpiresIn']);
  }
}
