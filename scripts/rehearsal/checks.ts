import type { Client } from '@temporalio/client';
import { In, IsNull, Not } from 'typeorm';
import type { Database } from '../../db/database';
import { Invite } from '../../entities/Invite';
import { type Balancer, percentile } from './balancer';
import type { CampaignView, RehearsalCampaign } from './load';
import type { Tally } from './tally';
import { liveInvite } from '../../db/invite-scopes';

/** What the end of the run found: lines to print, and the checks that failed (the exit status). */
export class Findings {
  readonly lines: string[] = [];
  readonly failures: string[] = [];

  line(text: string): void {
    this.lines.push(text);
  }

  check(ok: boolean, what: string, detail = ''): void {
    this.lines.push(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
    if (!ok) this.failures.push(`${what}${detail ? ` (${detail})` : ''}`);
  }
}

const sample = (items: string[], n = 5) =>
  items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} … (${items.length})`;

/** Invitations: exactly one per recipient, none missing, none to anyone else, no resends. */
export function checkInvitations(f: Findings, campaigns: RehearsalCampaign[], tally: Tally): void {
  let duplicates = 0;
  let missing = 0;
  let strangers = 0;
  const where: string[] = [];
  for (const c of campaigns) {
    const counts = tally.recipients(c.id, 'invitation');
    const expected = new Set(c.emails);
    const dup = [...counts].filter(([, n]) => n > 1).map(([to, n]) => `${to}×${n}`);
    const lost = c.emails.filter((e) => !counts.has(e));
    const other = [...counts.keys()].filter((to) => !expected.has(to));
    duplicates += dup.length;
    missing += lost.length;
    strangers += other.length;
    if (dup.length) where.push(`campaign ${c.index} duplicates: ${sample(dup)}`);
    if (lost.length) where.push(`campaign ${c.index} missing: ${sample(lost)}`);
    if (other.length) where.push(`campaign ${c.index} to uninvited: ${sample(other)}`);
  }
  const expected = campaigns.reduce((n, c) => n + c.emails.length, 0);
  f.line(`invitations: ${tally.kindCount('invitation')} emails for ${expected} recipients`);
  f.check(duplicates === 0, 'invitations: 0 duplicates', `${duplicates} recipients got more than one`);
  f.check(missing === 0, 'invitations: 0 missing', `${missing} recipients got none`);
  f.check(strangers === 0, 'invitations: none to an address not invited', `${strangers}`);
  f.check(tally.kindCount('resend') === 0, 'no resends (none was asked for)', `${tally.kindCount('resend')}`);
  for (const w of where) f.line(`     ${w}`);
}

/**
 * Reminders: at most one each; one to every reminded invite whose invitation went out before
 * its reminder was due (the others are moot: docs/lifecycle.md), none to the moot ones.
 */
export async function checkReminders(
  f: Findings,
  campaigns: RehearsalCampaign[],
  tally: Tally,
  db: Database,
): Promise<void> {
  let reminded = 0;
  let eligible = 0;
  let moot = 0;
  const duplicates: string[] = [];
  const missing: string[] = [];
  const toMoot: string[] = [];
  for (const c of campaigns) {
    const counts = tally.recipients(c.id, 'reminder');
    const rows = await db.manager.find(Invite, {
      select: { email: true, sentAt: true, reminderAt: true },
      where: { campaignId: c.id, reminderAt: Not(IsNull()), ...liveInvite },
    });
    for (const r of rows) {
      const n = counts.get(r.email!) ?? 0;
      reminded += n;
      if (n > 1) duplicates.push(`${r.email}×${n}`);
      const due = r.sentAt !== null && r.sentAt < r.reminderAt!;
      if (due) eligible++;
      else moot++;
      if (due && n === 0) missing.push(r.email!);
      if (!due && n > 0) toMoot.push(r.email!);
    }
  }
  f.line(
    `reminders: ${reminded} sent; ${eligible} expected (invitation out before the reminder was due), ${moot} moot (invitation after it)`,
  );
  f.check(eligible > 0, 'reminders: some were due (the reminder path was exercised)', `${eligible}`);
  f.check(duplicates.length === 0, 'reminders: at most one each', sample(duplicates));
  f.check(missing.length === 0, 'reminders: none missing', `${missing.length}: ${sample(missing)}`);
  f.check(toMoot.length === 0, 'reminders: none whose moment came before the invitation', sample(toMoot));
}

/**
 * Every campaign ends `active`: all its invitations out, nothing failed, not paused (each pause
 * was resumed); the reminded invites have expired by their own date (counted in `expired`).
 */
export async function checkCampaigns(
  f: Findings,
  campaigns: RehearsalCampaign[],
  views: CampaignView[],
  db: Database,
): Promise<void> {
  for (const [i, c] of campaigns.entries()) {
    const v = views[i];
    const p = v.progress;
    const ok =
      v.status === 'active' &&
      p.total === c.emails.length &&
      p.sent === p.total &&
      p.pending === 0 &&
      p.failed === 0 &&
      p.expired === c.reminded.size;
    f.check(
      ok,
      `campaign ${c.index} (account ${c.account.index}) ends active with every invite sent`,
      `${v.status}${v.pausedReason ? ` (${v.pausedReason})` : ''}, total ${p.total} of ${c.emails.length}, sent ${p.sent}, pending ${p.pending}, failed ${p.failed}, expired ${p.expired} of ${c.reminded.size} reminded`,
    );
  }
  const unsent = await db.manager.count(Invite, {
    where: { campaignId: In(campaigns.map((c) => c.id)), sentAt: IsNull(), ...liveInvite },
  });
  f.check(unsent === 0, 'database: every invite has sentAt', `${unsent} without`);
}

/** Every run of every workflow, continued-as-new and closed ones included: the largest history. */
export async function largestHistory(
  f: Findings,
  temporal: Client,
): Promise<{ runs: number; continuedAsNew: number; largest: number; of: string }> {
  let runs = 0;
  let continuedAsNew = 0;
  let largest = 0;
  let of = '';
  for await (const run of temporal.workflow.list()) {
    runs++;
    if (run.status.name === 'CONTINUED_AS_NEW') continuedAsNew++;
    let length = run.historyLength;
    // Visibility's count of an open run lags; the run itself knows.
    if (run.status.name === 'RUNNING')
      length = (await temporal.workflow.getHandle(run.workflowId, run.runId).describe()).historyLength;
    if (length > largest) {
      largest = length;
      of = `${run.workflowId} (${run.status.name.toLowerCase()})`;
    }
  }
  f.line(`history: ${runs} runs (${continuedAsNew} continued as new); largest ${largest} events, ${of}`);
  f.check(largest > 0 && largest <= 5_000, 'history: largest run within 5,000 events', `${largest}`);
  return { runs, continuedAsNew, largest, of };
}

export function latencies(
  f: Findings,
  balancer: Balancer,
): Record<string, { n: number; p50: number; p99: number }> {
  const out: Record<string, { n: number; p50: number; p99: number }> = {};
  const load = [...balancer.latencies]
    .filter(([series]) => series !== 'reader' && series !== 'scoping')
    .flatMap(([, samples]) => samples);
  const all = new Map([['all of the load', load], ...balancer.latencies]);
  for (const [series, samples] of all) {
    out[series] = { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) };
    f.line(
      `latency ${series}: ${samples.length} requests, p50 ${out[series].p50.toFixed(0)} ms, p99 ${out[series].p99.toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms`,
    );
  }
  f.line(
    `load balancer: ${balancer.failovers} failovers to the other API, ${balancer.retried5xx} retries of a 5xx`,
  );
  return out;
}
