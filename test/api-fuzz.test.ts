import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { openApiDocument } from '../api/openapi';
import { draft, untilStatus } from './support/campaigns';
import {
  type FuzzRequest,
  type IdPool,
  operationsOf,
  type Pools,
  requestArbitrary,
} from './support/fuzz/requests';
import { differences, eventsAwaitingFanOut, type Snapshot, snapshotAccount } from './support/fuzz/snapshot';
import { checkAgainstOpenApi } from './support/openapi-check';
import { type ApiClient, eventually, type Stack, useStack } from './support/stack';

/**
 * The API fuzzed from its own OpenAPI document: every operation, with every role, gets valid-ish
 * and broken paths, query strings, headers and bodies. Whatever arrives: no 5xx, the answer is the
 * one the document describes, a refusal (4xx) changes nothing, and another account's data is
 * never read or changed. FUZZ_SEED and FUZZ_RUNS (npm run fuzz -- --seed S --runs N) size it;
 * the default is CI's: small and always the same.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 21);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

const WEBHOOK_USER = 'fuzz';
const WEBHOOK_PASSWORD = 'fuzz-webhook-password';

/** Who makes the request: the account's two roles, or someone who must get nothing. */
type Caller = 'admin' | 'support' | 'anonymous' | 'revoked' | 'garbage' | 'other-account';
const ROLES = ['admin', 'support', 'stranger'] as const;
const STRANGERS: Caller[] = ['anonymous', 'revoked', 'garbage', 'other-account'];

const document = openApiDocument('http://127.0.0.1');
const operations = operationsOf(document);
const runsPerCase = Math.max(1, Math.ceil(RUNS / (operations.length * ROLES.length)));

describe(`The API under fuzzing (FUZZ_SEED=${SEED}, ${runsPerCase} requests per operation and role)`, () => {
  const stack = useStack({
    env: {
      ALLOW_HTTP_WEBHOOKS: 'true',
      POSTMARK_WEBHOOK_USER: WEBHOOK_USER,
      POSTMARK_WEBHOOK_PASSWORD: WEBHOOK_PASSWORD,
    },
  });
  let receiver: Server;
  let own: { accountId: string; admin: ApiClient };
  let other: { accountId: string; admin: ApiClient };
  const keys: Record<string, string | undefined> = {};
  let pools: Pools;
  /** Operations a support key was refused (403): a later 2xx for support there is a finding. */
  const forbiddenForSupport = new Set<string>();
  const stats = {
    requests: 0,
    byClass: {} as Record<string, number>,
    settled: 0,
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const ownFixture = await fixture(stack, hookUrl, 1_000_000);
    const otherFixture = await fixture(stack, hookUrl, 100_000);
    own = ownFixture;
    other = otherFixture;
    keys.admin = ownFixture.adminKey;
    keys.support = await stack.newKey(own.accountId, 'support');
    keys['other-account'] = otherFixture.adminKey;
    keys.garbage = 'hk_' + 'A'.repeat(43);
    const revoked = await own.admin.post('/v1/api-keys', { role: 'admin', name: 'revoked' });
    await own.admin.delete(`/v1/api-keys/${revoked.body.id}`);
    keys.revoked = revoked.body.key;
    pools = {
      own: ownFixture.pool,
      other: otherFixture.pool,
      hints: { uuids: Object.values(ownFixture.pool).flat(), emails: ownFixture.emails },
    };
    await settle();
  }, 120_000);

  afterAll(async () => {
    const classes = Object.entries(stats.byClass)
      .sort()
      .map(([c, n]) => `${c}: ${n}`)
      .join(', ');
    console.log(
      `fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}: ${stats.requests} requests (${classes}); ` +
        `waited for background work ${stats.settled} times`,
    );
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  async function snapshots(): Promise<Record<'own' | 'other', Snapshot>> {
    const [ownRows, otherRows] = await Promise.all([
      snapshotAccount(stack.db, own.accountId),
      snapshotAccount(stack.db, other.accountId),
    ]);
    return { own: ownRows, other: otherRows };
  }

  async function fanOutsOutstanding(): Promise<number> {
    const counts = await Promise.all([own, other].map((a) => eventsAwaitingFanOut(stack.db, a.accountId)));
    return counts[0] + counts[1];
  }

  /** Waits until a change a request started (a launch's sends, webhook fan-out) has finished. */
  async function settle(): Promise<void> {
    stats.settled++;
    // Quiet: two snapshots 100 ms apart alike (the first check only takes one), and no event
    // left for an endpoint to fan out.
    let last: string | undefined;
    await eventually(
      async () => {
        const now = JSON.stringify(await snapshots());
        const quiet = now === last && (await fanOutsOutstanding()) === 0;
        last = now;
        return quiet ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  }

  function authorization(caller: Caller, auth: 'none' | 'basic' | 'bearer'): Record<string, string> {
    if (caller === 'anonymous') return {};
    if (auth === 'basic' && (caller === 'admin' || caller === 'support'))
      return {
        authorization: `Basic ${Buffer.from(`${WEBHOOK_USER}:${WEBHOOK_PASSWORD}`).toString('base64')}`,
      };
    return { authorization: `Bearer ${keys[caller]}` };
  }

  async function send(caller: Caller, request: FuzzRequest, auth: 'none' | 'basic' | 'bearer') {
    const res = await fetch(stack.baseUrl + request.path, {
      method: request.method,
      headers: { ...authorization(caller, auth), ...request.headers },
      // fetch refuses a body on GET; the other methods carry whatever was generated.
      body: request.method === 'GET' ? undefined : request.body,
    });
    return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
  }

  /** One request, judged. Throws (for fast-check to shrink and report) when a rule is broken. */
  async function judge(
    operationId: string,
    caller: Caller,
    request: FuzzRequest,
    auth: 'none' | 'basic' | 'bearer',
  ) {
    const before = await snapshots();
    const res = await send(caller, request, auth);
    stats.requests++;
    const statusClass = `${String(res.status)[0]}xx`;
    stats.byClass[statusClass] = (stats.byClass[statusClass] ?? 0) + 1;
    const said = `${request.method} ${request.path.slice(0, 300)} as ${caller} → ${res.status} ${res.text.slice(0, 300)}`;
    if (res.status >= 500) throw new Error(`a 5xx: ${said}`);
    checkAgainstOpenApi({ method: request.method, path: request.path, ...res });

    const callerAccount =
      caller === 'admin' || caller === 'support' ? 'own' : caller === 'other-account' ? 'other' : undefined;
    const ok = res.status < 400;
    if (!callerAccount && auth === 'bearer' && ok)
      throw new Error(`a request without a working key was answered: ${said}`);
    if (request.pathOwner && callerAccount && request.pathOwner !== callerAccount && ok)
      throw new Error(`another account's id was answered: ${said}`);
    if (caller === 'support' && res.status === 403) forbiddenForSupport.add(operationId);
    if (caller === 'support' && ok && forbiddenForSupport.has(operationId))
      throw new Error(`a support key was refused ${operationId} before, and now it is answered: ${said}`);

    if (ok && request.method !== 'GET') await settle();
    const after = await snapshots();
    for (const account of ['own', 'other'] as const) {
      const mayChange = ok && account === callerAccount;
      const changed = differences(before[account], after[account]);
      if (!mayChange && changed.length)
        throw new Error(`the ${account} account's rows changed (${changed.join(', ')}): ${said}`);
    }
  }

  it.each(operations.map((op) => [op.operationId, op] as const))(
    'when %s gets valid and broken requests from every role, then no 5xx, every answer is documented, and a refusal changes nothing',
    async (_name, op) => {
      for (const role of ROLES) {
        const callers = role === 'stranger' ? fc.constantFrom(...STRANGERS) : fc.constant(role);
        const seed = (SEED ^ hash(`${op.operationId}:${role}`)) | 0;
        const property = fc.asyncProperty(callers, requestArbitrary(document, op, pools), (caller, request) =>
          judge(op.operationId, caller, request, op.auth),
        );
        try {
          await fc.assert(property, { seed, numRuns: runsPerCase, endOnFailure: !process.env.FUZZ_SHRINK });
        } catch (err) {
          throw new Error(
            `${op.operationId} as ${role} failed. Reproduce: npm run fuzz -- --seed ${SEED} --runs ${RUNS} ` +
              `(add FUZZ_SHRINK=1 to shrink it)\n${(err as Error).message}\n` +
              `What went wrong: ${((err as Error).cause as Error | undefined)?.message ?? '(above)'}`,
          );
        }
      }
    },
    120_000,
  );
});

/** An account with a little of everything, small enough that launching it sends a handful of emails. */
async function fixture(stack: Stack, hookUrl: string, balanceCents: number) {
  const account = await stack.newAccount(balanceCents);
  const admin = account.as(account.adminKey);
  const emails = ['ada@example.com', 'grace@example.org'];
  const endpoint = await admin.post('/v1/webhook-endpoints', { url: hookUrl });
  const contacts = await Promise.all(
    emails.map((email) => admin.post('/v1/contacts', { email, name: 'Fuzz' })),
  );
  const drafted = await draft(admin, { name: 'Draft' }, 2);
  await admin.post(`/v1/campaigns/${drafted}/invites`, { email: 'draft@example.com' });
  const active = await draft(admin, { name: 'Active' }, 1);
  await admin.post(`/v1/campaigns/${active}/invites/bulk`, {
    recipients: emails.map((email) => ({ email })),
  });
  await admin.post(`/v1/campaigns/${active}/launch`);
  const paused = await draft(admin, { name: 'Paused' }, 1);
  await admin.post(`/v1/campaigns/${paused}/launch`);
  await untilStatus(admin, active, 'active');
  await untilStatus(admin, paused, 'active');
  await admin.post(`/v1/campaigns/${paused}/pause`, { reason: 'fuzz' });
  const cancelled = await draft(admin, { name: 'Cancelled' }, 1);
  await admin.post(`/v1/campaigns/${cancelled}/cancel`);
  const spareKeys = await Promise.all(
    (['admin', 'support'] as const).map(async (role) => (await admin.post('/v1/api-keys', { role })).body.id),
  );

  const invites = (
    await Promise.all(
      [drafted, active, paused, cancelled].map(
        async (id) => (await admin.get(`/v1/campaigns/${id}/invites`)).body.data,
      ),
    )
  ).flat() as { id: string; url: string }[];
  const deliveries = await eventually(async () => {
    const list = (await admin.get(`/v1/webhook-endpoints/${endpoint.body.id}/deliveries`)).body.data;
    return list.length ? list : undefined;
  });
  const pool: IdPool = {
    campaigns: [drafted, active, paused, cancelled],
    invites: invites.map((i) => i.id),
    // Only keys made to be revoked: the fuzzer's own keys must keep working.
    'api-keys': spareKeys,
    contacts: contacts.map((c) => c.body.id),
    'webhook-endpoints': [endpoint.body.id],
    'webhook-deliveries': deliveries.map((d) => d.id),
    links: invites.map((i) => new URL(i.url).pathname.split('/').pop()!),
  };
  return { accountId: account.accountId, adminKey: account.adminKey, admin, pool, emails };
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (Math.imul(h, 31) + c.codePointAt(0)!) | 0;
  return h;
}
