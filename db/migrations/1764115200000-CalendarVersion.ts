import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Which version of the campaign's event each recipient last received, so an "update calendar
 * invites" pass skips those whose invitation already carried the new one.
 */
export class CalendarVersion1764115200000 implements MigrationInterface {
  name = 'CalendarVersion1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'invites',
      new TableColumn({ name: 'calendarSequence', type: 'int', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('invites', 'calendarSequence');
  }
}
