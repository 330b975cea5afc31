import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invite tokens are compared byte for byte. The token column inherited the connection's
 * case-insensitive collation on MySQL/MariaDB, so `/i/<TOKEN uppercased>` opened the link.
 * A binary collation makes `=` (and the unique index) case-sensitive; MariaDB's NO PAD one
 * also stops `abc` matching `abc ` (MySQL has no NO PAD ascii collation: LinkService checks
 * the found token equals the one asked for in any case). SQLite already compares with BINARY,
 * which neither folds case nor ignores trailing spaces: nothing to do there.
 */
export class TokenExact1764201640000 implements MigrationInterface {
  name = 'TokenExact1764201640000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'mysql') return;
    const noPad = (await q.query(`SHOW COLLATION WHERE Collation = 'ascii_nopad_bin'`)) as unknown[];
    const collation = noPad.length > 0 ? 'ascii_nopad_bin' : 'ascii_bin';
    await q.query(
      `ALTER TABLE invites MODIFY token varchar(64) CHARACTER SET ascii COLLATE ${collation} NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'mysql') return;
    await q.query(
      'ALTER TABLE invites MODIFY token varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL',
    );
  }
}
