import { createHash } from 'node:crypto';
import type { Database } from '../../../db/database';
import { WebhookEndpoint } from '../../../entities/WebhookEndpoint';

/**
 * A cheap fingerprint of everything one account holds: per table, the number of its rows and
 * a hash of them. Two snapshots that are equal mean the account's data did not change.
 */
export type Snapshot = Record<string, { rows: number; hash: string }>;

/** Every table with an `accountId` column (entities/), read by that column. */
const BY_ACCOUNT = [
  'accounts', // by id
  'api_keys',
  'audit_entries',
  'campaigns',
  'contacts',
  'outbox_emails',
  'idempotency_keys',
  'invites',
  'ledger_entries',
  'notifications',
  'send_demand',
  'send_grants',
  'suppressions',
  'webhook_endpoints',
  'webhook_events',
] as const;

/**
 * What a refused request may still write, each for a reason the API documents; nothing else is
 * left out.
 */
const MAY_CHANGE_ON_REFUSAL: Partial<
  Record<string, (row: Record<string, unknown>) => Record<string, unknown> | null>
> = {
  // The key's last use is stamped at authentication (at most once a minute, api/auth.ts), before
  // the request is judged: a refused request was still made with that key.
  api_keys: ({ lastUsedAt: _lastUsedAt, ...row }) => row,
  // Every refused command is audited (`refused:<command>`, SPEC: "every refused command, with who
  // and why"): the refusal is what the row records.
  audit_entries: (row) => (String(row.action).startsWith('refused:') ? null : row),
};

/** What the background may change without any request: a delivery's attempts, by the endpoint's workflow. */
const BACKGROUND_COLUMNS: Partial<Record<string, (row: Record<string, unknown>) => Record<string, unknown>>> =
  {
    webhook_deliveries: ({ id, endpointId, eventId }) => ({ id, endpointId, eventId }),
  };

export async function snapshotAccount(db: Database, accountId: string): Promise<Snapshot> {
  const q = (sql: string) => db.dataSource.query<Record<string, unknown>[]>(sql, [accountId]);
  // All at once: on MySQL the pool runs them side by side (a snapshot is taken twice a request).
  const tables = await Promise.all(
    BY_ACCOUNT.map(async (table) => {
      const rows = await q(`SELECT * FROM ${table} WHERE ${table === 'accounts' ? 'id' : 'accountId'} = ?`);
      return [table, fingerprint(rows, MAY_CHANGE_ON_REFUSAL[table])] as const;
    }),
  );
  const snapshot: Snapshot = Object.fromEntries(tables);
  // Reached through the account's endpoints: deliveries carry no accountId of their own.
  const deliveries = await q(
    'SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpointId WHERE e.accountId = ?',
  );
  snapshot.webhook_deliveries = fingerprint(deliveries, BACKGROUND_COLUMNS.webhook_deliveries);
  return snapshot;
}

/** The tables whose rows differ, with their counts before and after. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(before).flatMap((table) =>
    before[table].hash === after[table]?.hash
      ? []
      : [`${table} (${before[table].rows} rows before, ${after[table]?.rows ?? '?'} after)`],
  );
}

function fingerprint(
  rows: Record<string, unknown>[],
  keep: ((row: Record<string, unknown>) => Record<string, unknown> | null) | undefined,
): { rows: number; hash: string } {
  const kept = rows.map((r) => (keep ? keep(r) : r)).filter((r): r is Record<string, unknown> => r !== null);
  const lines = kept
    .map((r) => JSON.stringify(r, (_k, v) => (v instanceof Date ? v.toISOString() : v)))
    .sort();
  return { rows: kept.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/**
 * Events of the account an endpoint takes and has no delivery row for yet: its workflow's next
 * pass will fan them out. A quiet moment with these outstanding is not the end of a change (the
 * pass that writes their rows may simply not have run yet); endpoints backing off or disabled
 * are left out, since nothing will write their rows until they are retried.
 */
export async function eventsAwaitingFanOut(
  db: Database,
  accountId: string,
  now = Date.now(),
): Promise<number> {
  const endpoints = await db.manager.find(WebhookEndpoint, { where: { accountId, state: 'enabled' } });
  let outstanding = 0;
  for (const endpoint of endpoints) {
    if (endpoint.retryAt && endpoint.retryAt.getTime() > now) continue;
    const events = await db.dataSource.query<{ type: string }[]>(
      `SELECT e.type FROM webhook_events e
        WHERE e.accountId = ? AND e.id > ?
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.eventId = e.id AND d.endpointId = ?)`,
      [accountId, endpoint.cursor, endpoint.id],
    );
    outstanding += events.filter((e) => !endpoint.events || endpoint.events.includes(e.type)).length;
  }
  return outstanding;
}
