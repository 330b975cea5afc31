import { type EntityManager, type EntityMetadata, In, type ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { entities } from '../../entities';
import { WebhookDelivery } from '../../entities/WebhookDelivery';
import { WebhookEndpoint } from '../../entities/WebhookEndpoint';

/**
 * The address as it stands in text, in any case, but not as the end or start of a longer
 * address: erasing `ada@example.com` leaves `mada@example.com` and `ada@example.com.au` alone.
 */
export function quoting(email: string): RegExp {
  const escaped = email.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(
    `(?<![\\p{L}\\p{N}.!#$%&'*+/=?^_\`{|}~-])${escaped}(?![\\p{L}\\p{N}-]|\\.[\\p{L}\\p{N}])`,
    'giu',
  );
}

const quotes = (pattern: RegExp, text: unknown) =>
  typeof text === 'string' && new RegExp(pattern.source, 'iu').test(text);

/**
 * Rows of the account (webhook deliveries through its endpoints) with the address in one of
 * these text columns. SQL finds candidates (`LIKE` on the lower-cased text); the pattern
 * decides, so a longer address that contains this one is not a match.
 */
export async function rowsQuoting<T extends ObjectLiteral>(
  em: EntityManager,
  meta: EntityMetadata,
  columns: ColumnMetadata[],
  accountId: string,
  email: string,
): Promise<T[]> {
  if (!columns.length) return [];
  const query = em.createQueryBuilder<T>(meta.target, 'x');
  if (meta.target === WebhookDelivery) {
    const endpoints = await em.findBy(WebhookEndpoint, { accountId });
    if (!endpoints.length) return [];
    query.where({ endpointId: In(endpoints.map((e) => e.id)) });
  } else query.where('x.accountId = :accountId', { accountId });
  const needle = `%${email.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  query.andWhere(
    `(${columns.map((c) => `LOWER(x.${c.propertyName}) LIKE :needle ESCAPE '!'`).join(' OR ')})`,
    { needle },
  );
  const pattern = quoting(email);
  return (await query.getMany()).filter((row) => columns.some((c) => quotes(pattern, row[c.propertyName])));
}

/** Every table that holds rows of an account. */
export function accountTables(em: EntityManager): EntityMetadata[] {
  return entities
    .map((e) => em.connection.getMetadata(e))
    .filter((m) => m.target === WebhookDelivery || m.findColumnWithPropertyName('accountId'));
}

/** The columns that can hold text (every one, for rows that go whole). */
export function textColumns(meta: EntityMetadata): ColumnMetadata[] {
  return meta.columns.filter(
    (c) => (c.type === 'varchar' || c.type === 'text') && c.propertyName !== 'accountId',
  );
}

/**
 * The free text of a table: its text columns but keys (primary and unique ones, which
 * rewriting could make collide, and which hold ids and fingerprints, not prose), references
 * to other rows (`…Id`), and those stored through a transformer (structured values: event
 * lists, send windows).
 */
export function freeTextColumns(meta: EntityMetadata): ColumnMetadata[] {
  const keys = new Set(meta.indices.filter((i) => i.isUnique).flatMap((i) => i.columns));
  for (const u of meta.uniques) for (const c of u.columns) keys.add(c);
  return textColumns(meta).filter(
    (c) => !c.isPrimary && !keys.has(c) && !c.transformer && !c.propertyName.endsWith('Id'),
  );
}

/**
 * Replaces the address with `reference` in every free-text column of the account's rows
 * (pause reasons in the audit log and in queued webhook events, order references, delivery
 * errors, a campaign's description…). Text that the reference makes too long for its column
 * is cut: the address never survives. Returns the ids rewritten, per table.
 */
export async function redactEverywhere(
  em: EntityManager,
  accountId: string,
  email: string,
  reference: string,
): Promise<Map<EntityMetadata, string[]>> {
  const pattern = quoting(email);
  const done = new Map<EntityMetadata, string[]>();
  for (const meta of accountTables(em)) {
    const columns = freeTextColumns(meta);
    const rows = await rowsQuoting<Record<string, unknown>>(em, meta, columns, accountId, email);
    for (const row of rows) {
      const changes: Record<string, string> = {};
      for (const c of columns) {
        const text = row[c.propertyName];
        if (!quotes(pattern, text)) continue;
        const redacted = (text as string).replace(pattern, reference);
        changes[c.propertyName] = c.length ? redacted.slice(0, Number(c.length)) : redacted;
      }
      await em
        .createQueryBuilder()
        .update(meta.target)
        .set(changes)
        .where('id = :id', { id: row.id })
        .execute();
    }
    if (rows.length)
      done.set(
        meta,
        rows.map((r) => r.id as string),
      );
  }
  return done;
}
