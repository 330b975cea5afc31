import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { temporal } from '@temporalio/proto';
import { AccountService } from '../api/usecases/accounts';
import { CampaignService } from '../api/usecases/campaigns';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import type { Config } from '../config/config';
import { Database } from '../db/database';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import { workflowIdFor } from '../domain/campaign';
import { entryNodeArgs } from '../bin/node-args';
import { postmarkEnv } from '../test/support/delivery';
import { type EntryProcess, printed, spawnEntry } from '../test/support/processes';
import type { SentMessage } from '../test/support/postmark-server';
import { benchStack, fmt, measure, progress } from './support';
import { insertRows } from '../db/insert-rows';

/**
 * bench/million (issue 14): one campaign of N invites (1,000,000 unless BENCH_INVITES)
 * imported as one streamed CSV request through an API process of its own, against a raw
 * bulk insert of the same rows; then dispatched by the campaign workflow in a worker process
 * of its own to the local Postmark server, against a direct loop over the same activity on a
 * second campaign of N, in a process started as the worker is (bench/direct-loop.ts). The
 * baselines work in a database of their own (`baselineDatabase`). Peak RSS is each process's own high-water mark (VmHWM). Every row is
 * good: 1,000,000 is the import's limit, so bad rows would leave the campaign short (their
 * reporting is bench/import's and the tests').
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 1_000_000);
const BATCH = 500;
const TICK_MS = 10_000;

/** `m<i>@million.test` is the workflow's recipient i, `d<i>@million.test` the direct loop's. */
const address = (prefix: 'm' | 'd', i: number) => `${prefix}${i}@million.test`;

function* csvLines(rows: number): Generator<string> {
  yield 'email,name\n';
  let lines = '';
  for (let i = 0; i < rows; i++) {
    lines += `${address('m', i)},Person ${i}\n`;
    if (i % 1000 === 999 || i === rows - 1) {
      yield lines;
      lines = '';
    }
    if (i % 100_000 === 99_999) progress(`  upload: ${i + 1} rows sent`);
  }
}

/** Exactly-once, a byte per recipient: enough for a million without keeping the messages. */
class Tally {
  readonly counts = { m: new Uint8Array(INVITES), d: new Uint8Array(INVITES) };
  sent = { m: 0, d: 0 };
  strays = 0;
  onSent = (message: SentMessage) => {
    if (message.Metadata.kind !== 'invitation') return;
    const match = /^([md])(\d+)@million\.test$/.exec(message.To.replace(/^.*<|>$/g, ''));
    const i = match ? Number(match[2]) : -1;
    if (!match || i >= INVITES) {
      this.strays++;
      return;
    }
    const prefix = match[1] as 'm' | 'd';
    this.counts[prefix][i] = Math.min(255, this.counts[prefix][i] + 1);
    this.sent[prefix]++;
  };
  check(prefix: 'm' | 'd'): { missing: number; twice: number } {
    let missing = 0;
    let twice = 0;
    for (const c of this.counts[prefix]) {
      if (c === 0) missing++;
      else if (c > 1) twice++;
    }
    return { missing, twice };
  }
}

/**
 * Where a chunk's time goes in the workflow, from its histories: waiting for a worker to
 * take the send (scheduled → started), the send itself (started → completed), and the
 * workflow task between one send and the next (completed → next scheduled).
 */
class ChunkTimes {
  private readonly ms = { queued: 0, sending: 0, between: 0 };
  private sends = 0;
  private gaps = 0;
  add(history: temporal.api.history.v1.IHistory): void {
    const at = (e: temporal.api.history.v1.IHistoryEvent) =>
      Number(e.eventTime!.seconds) * 1000 + Math.round((e.eventTime!.nanos ?? 0) / 1e6);
    const scheduled = new Map<string, number>();
    const started = new Map<string, number>();
    let lastCompleted: number | null = null;
    for (const e of history.events ?? []) {
      const id = String(e.eventId);
      if (e.activityTaskScheduledEventAttributes) {
        if (e.activityTaskScheduledEventAttributes.activityType?.name !== 'sendChunk') continue;
        scheduled.set(id, at(e));
        if (lastCompleted !== null) {
          this.ms.between += at(e) - lastCompleted;
          this.gaps++;
        }
      } else if (e.activityTaskStartedEventAttributes) {
        const s = String(e.activityTaskStartedEventAttributes.scheduledEventId);
        if (scheduled.has(s)) started.set(s, at(e));
      } else if (e.activityTaskCompletedEventAttributes) {
        const s = String(e.activityTaskCompletedEventAttributes.scheduledEventId);
        if (!started.has(s)) continue;
        this.ms.queued += started.get(s)! - scheduled.get(s)!;
        this.ms.sending += at(e) - started.get(s)!;
        this.sends++;
        lastCompleted = at(e);
      }
    }
  }
  line(): string {
    const avg = (total: number, n: number) => `${fmt(total / Math.max(n, 1), 0)} ms`;
    return `queued ${avg(this.ms.queued, this.sends)}, sending ${avg(this.ms.sending, this.sends)}, between sends ${avg(this.ms.between, this.gaps)} (${this.sends} sends)`;
  }
}

/** A process's resident set (VmRSS) or its peak so far (VmHWM), in MB; read before it exits. */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kb) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb[1]) / 1024;
}
const peakRssMb = (pid: number) => rssMb(pid, 'VmHWM');

/** Forgets the high-water mark so far (Linux clear_refs 5): what follows is measured alone. */
function resetPeakRss(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function stop(entry: EntryProcess): Promise<void> {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Resolves once `entry` printed `line`; if it never does, says what it printed instead. */
async function whenPrinted(entry: EntryProcess, line: string): Promise<void> {
  try {
    await printed(entry.output, line, 180_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}: no "${line}"; it printed:\n${entry.output().slice(-3000)}`);
  }
}

/**
 * POSTs `csv` as it comes (chunked), with node:http rather than fetch: fetch gives up on
 * response headers after 300 s, and the API answers only once a million rows are in.
 */
function upload(url: string, key: string, csv: Readable): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    csv.on('error', reject);
    csv.pipe(req);
  });
}

/** Prints how far `work` got every TICK_MS while it runs. */
async function ticking<T>(work: Promise<T>, line: () => string): Promise<T> {
  const timer = setInterval(() => progress(line()), TICK_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * The baselines' own database, empty and migrated like the bench's: MariaDB `<name>_baseline`
 * beside it, or a second SQLite file. The raw insert and the direct loop work there, so each
 * side of a ratio starts from an empty table: at a million, the raw insert's second 500,000
 * into tables already holding 1,500,000 rows took 102 s against 21 s for the first 500,000.
 * `env` points a process at it.
 */
async function baselineDatabase(
  config: Config,
  main: Database,
): Promise<{ db: Database; env: Record<string, string>; close: () => Promise<void> }> {
  if (config.database.type === 'mysql') {
    const url = new URL(config.database.url);
    const name = `${url.pathname.slice(1)}_baseline`;
    await main.manager.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await main.manager.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    url.pathname = `/${name}`;
    const db = await Database.open({ type: 'mysql', url: url.toString() }, { migrate: true });
    return {
      db,
      env: { DATABASE_URL: url.toString() },
      close: async () => {
        await db.close();
        await main.manager.query(`DROP DATABASE IF EXISTS \`${name}\``);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bench-baseline-'));
  const db = await Database.open(
    { type: 'sqlite', path: path.join(dir, 'herald.sqlite') },
    { migrate: true },
  );
  return {
    db,
    env: { DATA_DIR: dir },
    close: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function runMillionBench(): Promise<string> {
  const tally = new Tally();
  const { fake, env, db, config, close } = await benchStack('bench-million', {
    postmark: { keepSent: false, onSent: tally.onSent },
  });
  const children: EntryProcess[] = [];
  let twin: Awaited<ReturnType<typeof baselineDatabase>> | undefined;
  const dbName = config.database.type;
  const processEnv = {
    ...postmarkEnv(fake),
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    DATA_DIR: config.dataDir, // the SQLite file, and the development key file, are this run's
  };
  try {
    const { accountId, adminKey } = await new AccountService(db).createAccount({
      name: 'Million',
      ownerEmail: 'owner@bench.test',
      balanceCents: 1e10,
    });
    const caller = { accountId, keyId: adminKey.slice(0, 8), role: 'admin' as const };
    const campaigns = new CampaignService({ db, temporal: env.client, taskQueue: config.temporal.taskQueue });
    const campaignWith = async (name: string) =>
      (
        await campaigns.create(caller, {
          name,
          batch: { size: BATCH, gapMinutes: 0 },
          costPerInviteCents: 1,
        })
      ).id;
    const directId = await campaignWith('direct');
    const flowId = await campaignWith('workflow');
    // The direct campaign and its account, as they are, in the baselines' own database.
    const base = (twin = await baselineDatabase(config, db));
    await base.db.manager.insert(Account, await db.manager.findOneByOrFail(Account, { id: accountId }));
    await base.db.manager.insert(Campaign, await db.manager.findOneByOrFail(Campaign, { id: directId }));

    // ---- Import: the API process alone, against a raw insert of the same number of rows ----
    const port = await freePort();
    const api = spawnEntry('bin/api.ts', {
      ...processEnv,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    });
    children.push(api);
    await whenPrinted(api, 'api: listening');
    const apiStartMb = peakRssMb(api.child.pid!);

    /** Inserts the direct campaign's rows as prepared invites, 1,000 per transaction. */
    const rawInsert = () =>
      measure(async () => {
        const now = new Date();
        for (let i = 0; i < INVITES; i += 1000) {
          const rows = Array.from({ length: Math.min(1000, INVITES - i) }, (_, k) =>
            newInvite(
              {
                accountId,
                campaignId: directId,
                email: address('d', i + k),
                name: `Person ${i + k}`,
                expiresAt: null,
                reminderDaysBefore: null,
                reminderAt: null,
              },
              now,
            ),
          );
          await base.db.transaction((em) => insertRows(em, Invite, rows));
          if ((i + 1000) % 100_000 === 0) progress(`  baseline: ${i + 1000} rows`);
        }
      });
    progress(
      `baseline: inserting ${INVITES} prepared invites directly into the baseline database (${dbName})…`,
    );
    const baseline = await rawInsert();
    progress(`baseline: ${fmt(baseline.ms / 1000, 2)} s`);

    progress(`import: POST ${INVITES} CSV rows as one streamed request to the API process…`);
    const importStarted = Date.now();
    const imported = await measure(async () => {
      const { status, body } = await ticking(
        upload(
          `http://127.0.0.1:${port}/v1/campaigns/${flowId}/invites/import`,
          adminKey,
          Readable.from(csvLines(INVITES)),
        ),
        () =>
          `  import: ${Math.round((Date.now() - importStarted) / 1000)} s, API RSS ${fmt(rssMb(api.child.pid!))} MB`,
      );
      if (status !== 200) throw new Error(`import answered ${status}: ${body.slice(0, 500)}`);
      return JSON.parse(body) as { imported: number; rejected: unknown[] };
    });
    const apiPeakMb = peakRssMb(api.child.pid!);
    for (const line of api.output().split('\n')) if (line.includes('"import: ')) progress(`  API: ${line}`);
    await stop(api);
    if (imported.result.imported !== INVITES || imported.result.rejected.length !== 0)
      throw new Error(
        `import reported ${imported.result.imported} imported / ${imported.result.rejected.length} rejected; expected ${INVITES} / 0`,
      );
    const importRatio = imported.ms / baseline.ms;
    progress(
      `import ${fmt(imported.ms / 1000, 2)} s vs baseline ${fmt(baseline.ms / 1000, 2)} s (${fmt(importRatio, 2)}×); API peak RSS ${fmt(apiPeakMb)} MB (${fmt(apiStartMb)} MB once listening)`,
    );

    const importRow = `| ${INVITES} invites (${dbName}) | import | ${fmt(imported.ms / 1000, 2)} s | raw insert ${fmt(baseline.ms / 1000, 2)} s | **${fmt(importRatio, 2)}×** (≤ 1.5) | API ${fmt(apiPeakMb)} MB (≤ 200; ${fmt(apiStartMb)} MB once listening) | every row checked, none rejected |`;
    // BENCH_ONLY=import stops here: the import alone, a few minutes at a million.
    if (process.env.BENCH_ONLY === 'import') return importRow;

    // ---- Dispatch: the direct loop and the workflow, each in a process started as the worker is ----
    // Same flags and heap budget (bin/node-args.ts): with a budget, V8 collects more often, and
    // a loop in this process (no budget) would not pay for it; the comparison is of Temporal alone.
    // Each sends a million from its own database, as the import and the raw insert wrote them.
    await env.client.workflow
      .getHandle(workflowIdFor(directId))
      .terminate('bench: the direct loop drives this campaign');
    await base.db.transaction((em) => em.update(Campaign, { id: directId }, { status: 'launching' }));
    /**
     * Sends the direct campaign's invites until `until` of them are sent, or all are, in a
     * process started as the worker is (bench/direct-loop.ts).
     */
    const directLoop = async (until: number): Promise<{ ms: number; peakMb: number }> => {
      const child = spawn(
        process.execPath,
        [
          ...entryNodeArgs('worker.ts').slice(0, -1),
          'bench/direct-loop.ts',
          directId,
          accountId,
          String(BATCH),
          String(until),
        ],
        {
          cwd: path.resolve(__dirname, '..'),
          env: { ...process.env, ...processEnv, ...base.env },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await ticking(
        new Promise<number | null>((resolve) => child.once('exit', resolve)),
        () => `  direct: ${tally.sent.d} sent`,
      );
      if (code !== 0) throw new Error(`the direct loop exited ${code}: ${out.slice(-2000)}`);
      return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; peakMb: number };
    };
    progress(
      `direct loop: ${INVITES} invites through sendChunk (invitations), no Temporal, from the baseline database…`,
    );
    const direct = await directLoop(INVITES);
    progress(`direct: ${fmt(direct.ms / 1000, 2)} s (${Math.round(INVITES / (direct.ms / 1000))}/s)`);

    progress('starting the worker process…');
    const worker = spawnEntry('worker.ts', processEnv);
    children.push(worker);
    await whenPrinted(worker, 'worker: polling');
    const workerStartPid = worker.child.pid!;
    const workerStartupPeakMb = peakRssMb(workerStartPid);
    const workerPollingMb = rssMb(workerStartPid);
    resetPeakRss(workerStartPid);
    progress(
      `worker polling: RSS ${fmt(workerPollingMb)} MB (peak while starting ${fmt(workerStartupPeakMb)} MB, measured apart); launching…`,
    );
    const started = Date.now();
    const flow = await measure(() =>
      ticking(
        (async () => {
          await campaigns.command(caller, flowId, { type: 'launch' });
          for (;;) {
            const c = await db.manager.findOneByOrFail(Campaign, { id: flowId });
            if (c.status === 'active') return;
            if (worker.child.exitCode !== null)
              throw new Error(
                `the worker exited (${worker.child.exitCode}):\n${worker.output().slice(-2000)}`,
              );
            await new Promise((r) => setTimeout(r, 250));
          }
        })(),
        () =>
          `  workflow: ${tally.sent.m} sent (${Math.round(tally.sent.m / ((Date.now() - started) / 1000))}/s), worker RSS ${fmt(rssMb(workerStartPid))} MB (peak ${fmt(peakRssMb(workerStartPid))})`,
      ),
    );
    const workerPeakMb = peakRssMb(workerStartPid);
    progress(`workflow: ${fmt(flow.ms / 1000, 2)} s (${Math.round(INVITES / (flow.ms / 1000))}/s)`);

    // Every run of the campaign's workflow (it continues as new): the largest history.
    const histories: number[] = [];
    const chunks = new ChunkTimes();
    for await (const execution of env.client.workflow.list({
      query: `WorkflowId = '${workflowIdFor(flowId)}'`,
    })) {
      const handle = env.client.workflow.getHandle(execution.workflowId, execution.runId);
      histories.push((await handle.describe()).historyLength);
      chunks.add(await handle.fetchHistory());
    }
    await stop(worker);

    progress(
      `per chunk of ${BATCH}: ${chunks.line()}; the direct loop ${fmt(direct.ms / Math.ceil(INVITES / BATCH), 0)} ms a send`,
    );

    const byWorkflow = tally.check('m');
    const byDirect = tally.check('d');
    if (byWorkflow.missing || byWorkflow.twice || byDirect.missing || byDirect.twice || tally.strays)
      throw new Error(
        `not exactly once: workflow ${JSON.stringify(byWorkflow)}, direct ${JSON.stringify(byDirect)}, ${tally.strays} strays`,
      );
    const ratio = direct.ms / flow.ms;
    const maxHistory = Math.max(...histories);
    progress(
      `workflow/direct throughput ${fmt(ratio, 2)}; worker peak RSS ${fmt(workerPeakMb)} MB; largest history ${maxHistory} events over ${histories.length} runs; every invite sent once in both`,
    );
    return [
      importRow,
      `| ${INVITES} invites (${dbName}) | dispatch | ${fmt(flow.ms / 1000, 2)} s (${Math.round(INVITES / (flow.ms / 1000))}/s) | direct ${fmt(direct.ms / 1000, 2)} s (${Math.round(INVITES / (direct.ms / 1000))}/s) | **${fmt(ratio, 2)}** (≥ 0.9) | worker ${fmt(workerPeakMb)} MB (≤ 300; ${fmt(workerPollingMb)} MB once polling, ${fmt(workerStartupPeakMb)} MB peak while starting; the direct loop's process ${fmt(direct.peakMb)} MB) | largest history ${maxHistory} events (≤ 5,000), ${histories.length} runs; each sent once |`,
    ].join('\n');
  } finally {
    for (const c of children) await stop(c).catch(() => undefined);
    await twin?.close();
    await close();
  }
}

export const millionTableHeader =
  '| run | phase | time | baseline | ratio (goal) | peak RSS (goal) | notes |\n|---|---|---|---|---|---|---|';

if (require.main === module) {
  runMillionBench()
    .then((rows) => console.log(`${millionTableHeader}\n${rows}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
