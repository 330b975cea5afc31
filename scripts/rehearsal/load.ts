import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { AccountService } from '../../api/usecases/accounts';
import type { Database } from '../../db/database';
import type { FakePostmark } from '../../test/support/postmark-server';
import type { Balancer } from './balancer';
import type { Log } from './fleet';
import type { Settings } from './settings';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RehearsalAccount {
  index: number;
  accountId: string;
  key: string;
  token: string;
}

export interface RehearsalCampaign {
  index: number;
  id: string;
  account: RehearsalAccount;
  /** Every address invited, CSV and reminded. */
  emails: string[];
  /** The reminded invites' addresses. */
  reminded: Set<string>;
  remindedExpiresAt: number;
}

export interface Scenario {
  /** Campaigns the revoked token paused with `email_token_invalid`, and how each was resumed. */
  tokenPaused: { campaignId: string; resumedBy: string }[];
  /** The manual pauses: by what, resumed by what, and whether the API showed `paused` in between. */
  manual: { campaignId: string; pausedBy: string; resumedBy: string; shownPaused: boolean }[];
  errors: string[];
}

export const FROM_EMAIL = 'campaigns@rehearsal.test';

/** The accounts, each with its own Postmark token (the local server accepts it) and plenty of balance. */
export async function createAccounts(
  db: Database,
  fake: FakePostmark,
  balancer: Balancer,
  count: number,
): Promise<RehearsalAccount[]> {
  const service = new AccountService(db);
  const accounts: RehearsalAccount[] = [];
  for (let index = 0; index < count; index++) {
    const { accountId, adminKey } = await service.createAccount({
      name: `Rehearsal ${index}`,
      ownerEmail: `owner${index}@rehearsal.test`,
      balanceCents: 100_000_000,
    });
    const token = `rehearsal-${index}-${randomUUID()}`;
    fake.addToken(token);
    const set = await balancer.request('PUT', '/v1/account/email-provider', {
      key: adminKey,
      body: { postmarkServerToken: token, fromEmail: FROM_EMAIL },
    });
    expectStatus(set, [200], `PUT /v1/account/email-provider (account ${index})`);
    accounts.push({ index, accountId, key: adminKey, token });
  }
  return accounts;
}

function expectStatus(answer: { status: number; body: unknown }, ok: number[], what: string): void {
  if (!ok.includes(answer.status))
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
}

/**
 * One campaign: created, its reminded invites added in bulk (first, so they go out in the first
 * batch, before their reminder is due), then `invitesPerCampaign` recipients in one CSV request.
 */
export async function prepareCampaign(
  balancer: Balancer,
  settings: Settings,
  index: number,
  account: RehearsalAccount,
): Promise<RehearsalCampaign> {
  const batch = settings.batches[index % settings.batches.length];
  const created = await balancer.request<{ id: string }>('POST', '/v1/campaigns', {
    key: account.key,
    headers: { 'Idempotency-Key': randomUUID() },
    body: {
      name: `Rehearsal ${index} (${batch.size ?? 'all'} every ${batch.gapMinutes} min)`,
      description: 'Come along.',
      costPerInviteCents: 1,
      batch,
    },
  });
  expectStatus(created, [201], `POST /v1/campaigns (campaign ${index})`);
  const id = created.body.id;
  const domain = `c${index}.rehearsal.test`;

  const reminded = Array.from({ length: settings.remindedPerCampaign }, (_, i) => `reminded${i}@${domain}`);
  const remindedExpiresAt = Date.now() + settings.remindedExpiryMs;
  for (let i = 0; i < reminded.length; i += 1000) {
    const added = await balancer.request('POST', `/v1/campaigns/${id}/invites/bulk`, {
      key: account.key,
      headers: { 'Idempotency-Key': randomUUID() },
      body: {
        recipients: reminded.slice(i, i + 1000).map((email) => ({ email })),
        expiresIn: new Date(remindedExpiresAt).toISOString(),
        reminderDaysBefore: settings.reminderBeforeMs / 86_400_000,
      },
    });
    expectStatus(added, [201], `POST …/invites/bulk (campaign ${index})`);
  }

  const csvEmails = Array.from({ length: settings.invitesPerCampaign }, (_, i) => `r${i}@${domain}`);
  const csv = `email,name\n${csvEmails.map((e, i) => `${e},Recipient ${i}`).join('\n')}\n`;
  const imported = await balancer.request('POST', `/v1/campaigns/${id}/invites/import`, {
    key: account.key,
    body: csv,
    contentType: 'text/csv',
    series: 'import',
  });
  expectStatus(imported, [200], `POST …/invites/import (campaign ${index})`);
  const report = imported.body as { imported: number; rejected: unknown[] };
  // A retried upload (its first API instance went away mid-request) finds its rows already in.
  if (report.imported + report.rejected.length !== settings.invitesPerCampaign)
    throw new Error(
      `campaign ${index}: the import took ${report.imported} of ${settings.invitesPerCampaign} rows`,
    );
  return {
    index,
    id,
    account,
    emails: [...reminded, ...csvEmails],
    reminded: new Set(reminded),
    remindedExpiresAt,
  };
}

/** A command through the API, retried while the Temporal server is away; a 409 that shows the wanted status is success. */
export async function command(
  balancer: Balancer,
  campaign: RehearsalCampaign,
  name: 'launch' | 'pause' | 'resume',
  body: unknown = {},
): Promise<void> {
  const answer = await balancer.request('POST', `/v1/campaigns/${campaign.id}/${name}`, {
    key: campaign.account.key,
    body,
    retry5xxForMs: 90_000,
    series: 'command',
  });
  if (answer.status === 200) return;
  throw new Error(
    `POST /v1/campaigns/${campaign.id}/${name} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
  );
}

/** `temporal workflow signal`, as ops send it, retried while the server restarts. */
export async function signal(
  cli: string,
  address: string,
  campaign: RehearsalCampaign,
  name: 'pause' | 'resume',
  input?: unknown,
): Promise<void> {
  const args = [
    'workflow',
    'signal',
    '--address',
    address,
    '--namespace',
    'default',
    '--workflow-id',
    `campaign-${campaign.id}`,
    '--name',
    name,
    ...(input === undefined ? [] : ['--input', JSON.stringify(input)]),
  ];
  const giveUpAt = Date.now() + 90_000;
  for (;;) {
    try {
      await run(cli, args, { timeout: 20_000 });
      return;
    } catch (err) {
      if (Date.now() > giveUpAt)
        throw new Error(
          `temporal workflow signal --name ${name} to campaign-${campaign.id} kept failing: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`,
        );
      await sleep(1000);
    }
  }
}

export interface CampaignView {
  status: string;
  pausedReason: string | null;
  progress: { total: number; pending: number; sent: number; failed: number; expired: number };
}

export async function statusOf(balancer: Balancer, campaign: RehearsalCampaign): Promise<CampaignView> {
  const answer = await balancer.request('GET', `/v1/campaigns/${campaign.id}`, {
    key: campaign.account.key,
    retry5xxForMs: 60_000,
    series: 'poll',
  });
  expectStatus(answer, [200], `GET /v1/campaigns/${campaign.id}`);
  return answer.body as CampaignView;
}

/** Polls `check` until it holds (true) or `timeoutMs` passes (false). */
async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<boolean> {
  const giveUpAt = Date.now() + timeoutMs;
  while (Date.now() < giveUpAt) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return false;
}

/**
 * Account 0's Postmark token stops working: each of its campaigns that is sending pauses itself
 * (`email_token_invalid`) when it next calls Postmark, within its batch gap. Then the owner
 * rotates the token (a new token of the same Postmark server, as Postmark's "regenerate" gives)
 * and resumes them: the first through the API, the next through `temporal workflow signal`,
 * alternately.
 */
const pausedForToken = (s: { status: string; pausedReason?: string | null }) =>
  s.status === 'paused' && s.pausedReason === 'email_token_invalid';

export async function revokeAndRenew(o: {
  balancer: Balancer;
  fake: FakePostmark;
  settings: Settings;
  account: RehearsalAccount;
  campaigns: RehearsalCampaign[];
  cli: string;
  address: () => string;
  log: Log;
  scenario: Scenario;
}): Promise<void> {
  const { balancer, fake, account, campaigns, log, scenario } = o;
  const sending: RehearsalCampaign[] = [];
  for (const c of campaigns) if ((await statusOf(balancer, c)).status === 'launching') sending.push(c);
  fake.revokeToken(account.token);
  log(`load: account 0's Postmark token revoked (${sending.length} of its campaigns sending)`);
  const longestGapMs = Math.max(
    ...campaigns.map((c) => o.settings.batches[c.index % o.settings.batches.length].gapMinutes * 60_000),
  );
  const paused = new Set<RehearsalCampaign>();
  const finished = new Set<RehearsalCampaign>();
  await until(async () => {
    for (const c of sending) {
      const s = await statusOf(balancer, c);
      if (pausedForToken(s)) paused.add(c);
      // Its last batch went out just before the revocation: nothing left to send, nothing to pause for.
      if (s.status === 'active' && s.progress.pending === 0) finished.add(c);
    }
    return paused.size + finished.size === sending.length;
  }, longestGapMs + 45_000);
  for (const c of sending)
    if (!paused.has(c) && !finished.has(c))
      scenario.errors.push(
        `campaign ${c.index} was sending when the token was revoked but did not pause with email_token_invalid within its batch gap + 45 s`,
      );
  log(`load: ${paused.size} campaigns of account 0 paused email_token_invalid`);
  await sleep(o.settings.renewAfterMs);
  // Every campaign of the account that paused for the token, sending or not at the revocation.
  for (const c of campaigns) {
    if (pausedForToken(await statusOf(balancer, c))) paused.add(c);
  }
  const token = `rehearsal-0-renewed-${randomUUID()}`;
  fake.addToken(token, { sameServerAs: account.token });
  const set = await balancer.request('PUT', '/v1/account/email-provider', {
    key: account.key,
    body: { postmarkServerToken: token, fromEmail: FROM_EMAIL },
  });
  expectStatus(set, [200], 'PUT /v1/account/email-provider (renewal)');
  account.token = token;
  log(`load: account 0's token renewed; resuming ${paused.size} campaigns`);
  let n = 0;
  for (const c of paused) {
    const by = n++ % 2 === 0 ? 'api' : 'signal';
    if (by === 'api') await command(balancer, c, 'resume');
    else await signal(o.cli, o.address(), c, 'resume');
    scenario.tokenPaused.push({ campaignId: c.id, resumedBy: by });
  }
}

/**
 * Support pauses campaigns while they run: one through the API and resumed by a signal, one
 * by a signal and resumed through the API. Each pause must show in the API before the resume.
 */
export async function manualPauses(o: {
  balancer: Balancer;
  settings: Settings;
  campaigns: RehearsalCampaign[];
  cli: string;
  address: () => string;
  log: Log;
  scenario: Scenario;
}): Promise<void> {
  const plans: ['api' | 'signal', 'api' | 'signal'][] = [
    ['api', 'signal'],
    ['signal', 'api'],
  ];
  await Promise.all(
    o.campaigns.slice(0, plans.length).map(async (c, i) => {
      const [pausedBy, resumedBy] = plans[i];
      const reason = `rehearsal: support pause by ${pausedBy}`;
      if (pausedBy === 'api') await command(o.balancer, c, 'pause', { reason });
      else await signal(o.cli, o.address(), c, 'pause', { reason });
      o.log(`load: campaign ${c.index} paused by ${pausedBy}`);
      const shownPaused = await until(
        async () => (await statusOf(o.balancer, c)).status === 'paused',
        30_000,
      );
      await sleep(o.settings.pauseForMs);
      if (resumedBy === 'api') await command(o.balancer, c, 'resume');
      else await signal(o.cli, o.address(), c, 'resume');
      o.log(`load: campaign ${c.index} resumed by ${resumedBy}`);
      o.scenario.manual.push({ campaignId: c.id, pausedBy, resumedBy, shownPaused });
    }),
  );
}
