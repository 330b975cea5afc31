import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { at, str } from './1763683200000-Foundation';

/**
 * The account's sending policy (limits and window, JSON text), a campaign's own window, the
 * recipient's time zone, and until when a campaign's due reminders are held (limit or window).
 */
export class SendingPolicy1764500000000 implements MigrationInterface {
  name = 'SendingPolicy1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('accounts', new TableColumn({ name: 'sendLimits', type: 'text', isNullable: true }));
    await q.addColumn('accounts', new TableColumn({ name: 'sendWindow', type: 'text', isNullable: true }));
    await q.addColumn('campaigns', new TableColumn({ name: 'sendWindow', type: 'text', isNullable: true }));
    await q.addColumn('campaigns', new TableColumn(at('remindersHeldUntil', true)));
    await q.addColumn('campaigns', new TableColumn(at('remindersHeldSince', true)));
    await q.addColumn('invites', new TableColumn(str('timeZone', 64, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('invites', 'timeZone');
    await q.dropColumn('campaigns', 'remindersHeldSince');
    await q.dropColumn('campaigns', 'remindersHeldUntil');
    await q.dropColumn('campaigns', 'sendWindow');
    await q.dropColumn('accounts', 'sendWindow');
    await q.dropColumn('accounts', 'sendLimits');
  }
}
