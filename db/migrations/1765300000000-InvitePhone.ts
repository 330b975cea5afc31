import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { str } from './1763683200000-Foundation';

/** A phone number per recipient (issue 24), optional, in E.164 (at most 16 characters). */
export class InvitePhone1765300000000 implements MigrationInterface {
  name = 'InvitePhone1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('invites', new TableColumn(str('phone', 20, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('invites', 'phone');
  }
}
