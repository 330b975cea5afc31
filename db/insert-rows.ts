import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';

/** Rows per statement: 500 × ~25 columns stays far below SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts many rows, `ROWS_PER_STATEMENT` to a statement, as `em.insert` would store them but
 * without its query builder: that keeps each value as a named parameter and checks every new
 * name against all those before it, so 500 rows cost it more CPU than the database's work
 * (bench/million). Each value still goes through the column's transformer and the driver's
 * own conversion (dates, booleans); the driver binds them. Every column must be given (null for none): a row that leaves one
 * out is a bug, refused before anything is written. `orIgnore` skips a row whose unique key is
 * taken, as TypeORM's `orIgnore()` does.
 */
export async function insertRows<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  rows: readonly T[],
  { orIgnore = false }: { orIgnore?: boolean } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = em.connection;
  const metadata = em.connection.getMetadata(target);
  const columns = metadata.columns.filter((c) => c.isInsert && !c.isVirtual);
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  // A row whose unique key is taken is skipped rather than failing the statement (an outbox's dedupe key).
  const verb = !orIgnore
    ? 'INSERT'
    : driver.options.type === 'better-sqlite3'
      ? 'INSERT OR IGNORE'
      : 'INSERT IGNORE';
  const head = `${verb} INTO ${driver.escape(metadata.tableName)} (${names}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(from, from + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    for (const row of chunk) {
      for (const column of columns) {
        let value: unknown = column.getEntityValue(row);
        if (value === undefined)
          throw new Error(
            `insertRows(${metadata.name}): no value for ${column.propertyName}; give null for none`,
          );
        if (column.transformer) value = ApplyValueTransformers.transformTo(column.transformer, value);
        params.push(driver.preparePersistentValue(value, column));
      }
    }
    await em.query(head + Array(chunk.length).fill(tuple).join(', '), params);
  }
}
