import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { workflowIdFor } from '../../domain/campaign';
import type { CampaignStatusView } from '../../workflows/campaign/messages';
import type { Schemas } from './api-types';
import { type ApiClient, eventually } from './stack';

type CampaignStatus = Schemas['Campaign']['status'];

export const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the clock has reached `instant` (ISO, or ms since epoch): a wait on a known instant, not a guess. */
export async function untilInstant(instant: string | number): Promise<void> {
  const at = typeof instant === 'number' ? instant : Date.parse(instant);
  while (Date.now() < at) await sleep(at - Date.now());
}

/** A draft with `invites` link-only invites, made through the API. */
export async function draft(
  api: ApiClient,
  body: Partial<Schemas['CreateCampaign']> = {},
  invites = 0,
): Promise<string> {
  const created = await api.post('/v1/campaigns', { name: 'Lifecycle', costPerInviteCents: 10, ...body });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  if (invites > 0) {
    const added = await api.post(`/v1/campaigns/${created.body.id}/invites/bulk`, { count: invites });
    if (added.status !== 201) throw new Error(`invites failed: ${JSON.stringify(added.body)}`);
  }
  return created.body.id;
}

export async function statusOf(api: ApiClient, id: string): Promise<CampaignStatus> {
  return (await api.get(`/v1/campaigns/${id}`)).body.status;
}

export function untilStatus(api: ApiClient, id: string, status: CampaignStatus, timeoutMs = 15_000) {
  return eventually(async () => ((await statusOf(api, id)) === status ? true : undefined), { timeoutMs });
}

export async function query(temporal: Client, id: string): Promise<CampaignStatusView> {
  return temporal.workflow.getHandle(workflowIdFor(id)).query<CampaignStatusView>('status');
}

/**
 * The workflow's own view once it matches `expected`. A status change writes the campaign's
 * row (what the API answers) inside the activity, and the workflow takes it into its state
 * when it reads that activity's outcome, a moment later: after seeing a change through the
 * API, read the workflow's view with this, not `query`, or read the moment in between.
 */
export async function untilQueryMatches(
  temporal: Client,
  id: string,
  expected: Partial<Record<keyof CampaignStatusView, unknown>>,
): Promise<CampaignStatusView> {
  return eventually(async () => {
    const view = await query(temporal, id);
    expect(view).toMatchObject(expected);
    return view;
  });
}

/** With RECORD_HISTORIES=1, keeps this run's history (as `temporal workflow show` exports it) for the replay test. */
export async function recordHistory(_temporal: Client, id: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const address = process.env.TEMPORAL_ADDRESS!;
  const { stdout } = await promisify(execFile)(
    process.env.HERALD_TEMPORAL_CLI!,
    ['workflow', 'show', '--workflow-id', workflowIdFor(id), '--output', 'json', '--address', address],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const dir = path.join(__dirname, '..', 'histories');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), stdout);
}
