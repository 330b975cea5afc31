import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createConnection } from 'mysql2/promise';
import { Database } from '../db/database';
import { FAKE_POSTMARK_TOKEN, type FakePostmark, startFakePostmark } from '../test/support/postmark-server';
import { resolveTemporalCli } from './temporal-cli';
import { startTemporalServer, type TemporalServer } from './temporal-server';
import { Balancer } from './rehearsal/balancer';
import { startChaos } from './rehearsal/chaos';
import {
  checkCampaigns,
  checkInvitations,
  checkReminders,
  Findings,
  largestHistory,
  latencies,
} from './rehearsal/checks';
import { Fleet, freePort } from './rehearsal/fleet';
import {
  type CampaignView,
  command,
  createAccounts,
  manualPauses,
  prepareCampaign,
  type RehearsalCampaign,
  revokeAndRenew,
  type Scenario,
  statusOf,
} from './rehearsal/load';
import { startReader } from './rehearsal/reader';
import { type Settings, settingsFrom } from './rehearsal/settings';
import { Tally } from './rehearsal/tally';

/**
 * `npm run rehearsal [-- --small]`: production, rehearsed on this machine (issue 14). The real
 * Temporal server on PostgreSQL, 2 API and 3 worker processes of Herald on a fresh MariaDB
 * database, the local Postmark server; a mixed load (campaigns launched together, batches,
 * reminders, a token revoked and renewed, pauses and resumes through the API and through
 * `temporal workflow signal`, several accounts) while a chaos loop kills workers, drains an API
 * and restarts the Temporal server. At the end it checks what every recipient got and how every
 * campaign ended, and prints the figures; any failed check makes the exit status 1.
 *
 * Each run starts from scratch: it drops its own databases first (REHEARSAL_DATABASE_URL, default
 * mysql://root@127.0.0.1:3306/herald_rehearsal; PostgreSQL herald_rehearsal_temporal*), and leaves
 * them afterwards for inspection, with every process's log under .data/rehearsal/.
 */
const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, '.data', 'rehearsal');
const TASK_QUEUE = 'rehearsal';

const began = Date.now();
const log = (line: string) =>
  process.stderr.write(`rehearsal [${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Drops and creates the MariaDB database the run uses. */
async function freshDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new Error(`REHEARSAL_DATABASE_URL: expected a database name of letters, digits and _, got ${name}`);
  parsed.pathname = '/';
  const conn = await createConnection(parsed.toString());
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  } finally {
    await conn.end();
  }
}

interface Resources {
  server?: TemporalServer;
  fake?: FakePostmark;
  fleet?: Fleet;
  db?: Database;
  temporal?: Connection;
  stopLoad?: () => Promise<void>;
}

async function cleanup(r: Resources): Promise<void> {
  const steps: [string, (() => Promise<unknown>) | undefined][] = [
    ['load', r.stopLoad],
    ['Herald processes', r.fleet && (() => r.fleet!.stopAll())],
    ['Temporal connection', r.temporal && (() => r.temporal!.close())],
    ['Temporal server', r.server && (() => r.server!.stop())],
    ['Postmark server', r.fake && (() => r.fake!.close())],
    ['database', r.db && (() => r.db!.close())],
  ];
  for (const [what, step] of steps)
    if (step) await step().catch((err: Error) => log(`cleanup: ${what}: ${err.message}`));
}

async function rehearse(settings: Settings, r: Resources): Promise<Findings> {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  log(
    `${settings.name}: ${settings.campaigns} campaigns × ${settings.invitesPerCampaign} invites (+${settings.remindedPerCampaign} with reminders) on ${settings.accounts} accounts, ${settings.apis} APIs, ${settings.workers} workers; logs in ${path.relative(ROOT, DIR)}/`,
  );

  const databaseUrl = process.env.REHEARSAL_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/herald_rehearsal';
  await freshDatabase(databaseUrl);
  r.db = await Database.open({ type: 'mysql', url: databaseUrl }, { migrate: true });
  log('database: fresh, migrated');

  r.server = await startTemporalServer({
    database: process.env.REHEARSAL_TEMPORAL_DATABASE ?? 'herald_rehearsal_temporal',
    reset: true,
    dir: path.join(DIR, 'temporal-server'),
    log,
  });
  const server = r.server;
  const cli = resolveTemporalCli({ log });
  r.fake = await startFakePostmark();
  const fake = r.fake;

  const apiPorts = await Promise.all(Array.from({ length: settings.apis }, () => freePort()));
  r.fleet = new Fleet(
    {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      EMAIL_PROVIDER: 'postmark',
      POSTMARK_API_URL: fake.url,
      POSTMARK_SERVER_TOKEN: FAKE_POSTMARK_TOKEN,
      EMAIL_FROM: 'platform@rehearsal.test',
      POSTMARK_WEBHOOK_USER: 'hooks',
      POSTMARK_WEBHOOK_PASSWORD: randomBytes(12).toString('hex'),
      SECRET_KEY: randomBytes(32).toString('hex'),
      // Behind one load balancer: every process renders links with the same public address.
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPorts[0]}`,
      SHUTDOWN_GRACE_SECONDS: '20',
      LOG_LEVEL: 'info',
    },
    apiPorts,
    DIR,
    log,
  );
  const fleet = r.fleet;
  await Promise.all([
    ...apiPorts.map((_, i) => fleet.startApi(i)),
    ...Array.from({ length: settings.workers }, () => fleet.startWorker()),
  ]);
  log(`fleet: ${settings.apis} APIs on ports ${apiPorts.join(', ')}, ${settings.workers} workers polling`);
  r.temporal = await Connection.connect({ address: server.address });
  const temporal = new Client({ connection: r.temporal, namespace: server.namespace });

  const balancer = new Balancer(apiPorts.map((p) => `http://127.0.0.1:${p}`));
  const accounts = await createAccounts(r.db, fake, balancer, settings.accounts);
  const importStarted = Date.now();
  const campaigns = await Promise.all(
    Array.from({ length: settings.campaigns }, (_, i) =>
      prepareCampaign(balancer, settings, i, accounts[i % accounts.length]),
    ),
  );
  log(
    `load: ${campaigns.length} campaigns imported in ${((Date.now() - importStarted) / 1000).toFixed(1)} s`,
  );

  const tally = new Tally(fake);
  const tallyTimer = setInterval(() => tally.update(), 1000);
  const launchAt = Date.now();
  await Promise.all(campaigns.map((c) => command(balancer, c, 'launch')));
  log(`load: ${campaigns.length} campaigns launched together`);

  const reader = startReader(balancer, campaigns);
  const chaos = startChaos({ fleet, server, settings, log });
  const scenario: Scenario = { tokenPaused: [], manual: [], errors: [] };
  const ofAccount = (i: number) => campaigns.filter((c) => c.account.index === i);
  const scenarioDone = Promise.all([
    sleep(settings.revokeAtMs).then(() =>
      revokeAndRenew({
        balancer,
        fake,
        settings,
        account: accounts[0],
        campaigns: ofAccount(0),
        cli,
        address: () => server.address,
        log,
        scenario,
      }),
    ),
    sleep(settings.pausesAtMs).then(() =>
      manualPauses({
        balancer,
        settings,
        // One campaign from each account but the token's, so each pause is scoped to its own account.
        campaigns: [1, 2].map((i) => ofAccount(i % settings.accounts)[0]),
        cli,
        address: () => server.address,
        log,
        scenario,
      }),
    ),
  ]).catch((err: Error) => void scenario.errors.push(err.message));
  let scenarioOver = false;
  void scenarioDone.then(() => (scenarioOver = true));
  r.stopLoad = async () => {
    clearInterval(tallyTimer);
    await Promise.all([chaos.stop(), reader.stop()]);
  };

  // Until every campaign is done, the reminded invites have expired, and every fault has happened.
  const remindersSettleAt = Math.max(...campaigns.map((c) => c.remindedExpiresAt)) + 10_000;
  let views: CampaignView[] = [];
  let nextLine = 0;
  for (;;) {
    views = await Promise.all(campaigns.map((c) => statusOf(balancer, c)));
    const done =
      views.every((v) => v.status === 'active' && v.progress.pending === 0) &&
      Date.now() > remindersSettleAt &&
      scenarioOver &&
      chaos.oneOffsDone();
    if (Date.now() > nextLine || done) {
      const statuses = new Map<string, number>();
      for (const v of views) statuses.set(v.status, (statuses.get(v.status) ?? 0) + 1);
      const sent = views.reduce((n, v) => n + v.progress.sent, 0);
      const total = views.reduce((n, v) => n + v.progress.total, 0);
      log(
        `progress: ${sent}/${total} sent; ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}; ${tally.total()} emails at Postmark; chaos ${chaos.counts.workerKills} kills, ${chaos.counts.apiRestarts} API restarts, ${chaos.counts.temporalRestarts} server restarts`,
      );
      nextLine = Date.now() + 10_000;
    }
    if (done) break;
    if (Date.now() - launchAt > settings.deadlineMs) {
      log('deadline passed: checking what there is');
      break;
    }
    await sleep(2000);
  }
  const loadEndedAt = Date.now();
  await r.stopLoad();
  r.stopLoad = undefined;
  // Quiet: nothing more arrives at Postmark for 5 s.
  for (let last = -1; last !== fake.sent.length;) {
    last = fake.sent.length;
    await sleep(5000);
  }
  tally.update();
  views = await Promise.all(campaigns.map((c) => statusOf(balancer, c)));

  const f = new Findings();
  f.line(
    `npm run rehearsal (${settings.name}): ${campaigns.length} campaigns, ${campaigns.reduce((n, c) => n + c.emails.length, 0)} invites, ${settings.accounts} accounts, ${settings.apis} APIs, ${settings.workers} workers, Temporal ${server.address} on PostgreSQL`,
  );
  checkInvitations(f, campaigns, tally);
  await checkReminders(f, campaigns, tally, r.db);
  await checkCampaigns(f, campaigns, views, r.db);
  f.line(
    `owner emails: ${tally.kindCount('owner_alert')} alerts, ${tally.kindCount('owner_summary')} summaries`,
  );
  scenarioFindings(f, scenario, campaigns);
  await largestHistory(f, temporal);
  latencies(f, balancer);
  f.check(
    reader.violations.length === 0,
    'scoping: no account saw another account’s campaign',
    reader.violations.slice(0, 3).join('; '),
  );
  f.line(
    `background reader: ${reader.rounds()} rounds, ${reader.errors.length} failed requests${reader.errors.length ? ` (${[...new Set(reader.errors)].slice(0, 3).join('; ')})` : ''}`,
  );

  const invitations = tally.kindCount('invitation');
  const spanS = (tally.lastInvitationAt - launchAt) / 1000;
  let peak = 0;
  for (let i = 0; i < tally.perSecond.length; i++)
    peak = Math.max(peak, tally.perSecond.slice(i, i + 10).reduce((a, b) => a + b, 0) / 10);
  f.line(
    `throughput: ${invitations} invitations in ${spanS.toFixed(1)} s from launch to the last = ${(invitations / spanS).toFixed(0)} emails/s (batch gaps and pauses included); best 10 s ${peak.toFixed(0)}/s; ${tally.total()} emails in all`,
  );
  f.line(
    `run: ${((loadEndedAt - launchAt) / 1000).toFixed(0)} s from launch until every check could be made`,
  );

  const c = chaos.counts;
  f.line(
    `chaos: ${c.workerKills} workers SIGKILLed (every ~${settings.killEveryMs / 1000} s) and replaced, ${c.apiRestarts} API SIGTERM + restart, ${c.temporalRestarts} Temporal server restart (${(c.temporalRestartMs / 1000).toFixed(1)} s)`,
  );
  for (const e of fleet.events) f.line(`     +${((e.at - launchAt) / 1000).toFixed(0)} s ${e.what}`);
  f.check(
    c.workerKills > 0 && c.apiRestarts > 0 && c.temporalRestarts > 0,
    'chaos: every fault happened',
    JSON.stringify(c),
  );
  f.check(chaos.errors.length === 0, 'chaos: every fault recovered', chaos.errors.join('; '));
  const selfExits = fleet.events.filter((e) => e.what.includes('exited by itself'));
  f.check(
    selfExits.length === 0,
    'no Herald process died by itself',
    selfExits.map((e) => e.what).join('; '),
  );
  return f;
}

function scenarioFindings(f: Findings, s: Scenario, campaigns: RehearsalCampaign[]): void {
  const index = (id: string) => campaigns.find((c) => c.id === id)!.index;
  f.line(
    `token: revoked mid-way; ${s.tokenPaused.length} campaigns paused email_token_invalid and resumed after the renewal (${s.tokenPaused.map((t) => `campaign ${index(t.campaignId)} resumed by ${t.resumedBy}`).join(', ')})`,
  );
  f.check(s.tokenPaused.length > 0, 'token: a campaign paused itself with email_token_invalid');
  for (const m of s.manual)
    f.check(
      m.shownPaused,
      `pause: campaign ${index(m.campaignId)} paused by ${m.pausedBy} (shown paused by the API), resumed by ${m.resumedBy}`,
    );
  f.check(s.manual.length === 2, 'pause: both manual pauses happened', `${s.manual.length}`);
  f.check(s.errors.length === 0, 'load: every step answered as expected', s.errors.join('; '));
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2), process.env);
  const resources: Resources = {};
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C: the exit guards SIGKILL what is left
    interrupted = true;
    log(`${signal}: stopping everything it started`);
    void cleanup(resources).then(() => process.exit(130));
  };
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);

  let findings: Findings;
  try {
    findings = await rehearse(settings, resources);
  } catch (err) {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanup(resources);
    process.stdout.write(`npm run rehearsal: FAILED before its checks: ${(err as Error).message}\n`);
    process.exit(1);
  }
  await cleanup(resources);
  process.stdout.write(`${findings.lines.join('\n')}\n`);
  if (findings.failures.length) {
    process.stdout.write(
      `\nnpm run rehearsal: ${findings.failures.length} checks FAILED:\n${findings.failures.map((x) => `- ${x}`).join('\n')}\nLogs and databases are kept for inspection: ${path.relative(ROOT, DIR)}/, MariaDB and PostgreSQL as above.\n`,
    );
    process.exit(1);
  }
  process.stdout.write('\nnpm run rehearsal: every check passed\n');
  process.exit(0);
}

void main();
