import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ValidationError } from '../api/errors';
import { CampaignService } from '../api/usecases/campaigns';
import { workflowIdFor } from '../domain/campaign';
import type { campaignWorkflow } from '../workflows';
import { CAMPAIGN_WORKFLOW, commandUpdate, pauseSignal, resumeSignal } from '../workflows/campaign/messages';
import { AccountIdKey, CampaignIdKey, CampaignStatusKey } from '../workflows/search-attributes';
import { draft, query, recordHistory, untilQueryMatches, untilStatus } from './support/campaigns';
import { eventually, useAccount, useStack } from './support/stack';

describe('Ops: signals from the Temporal CLI, search attributes, bounded history', () => {
  const stack = useStack();
  const account = useAccount(stack, 1_000_000);
  const api = account.api;

  // Async on purpose: the API and the worker answering the CLI live in this process.
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.env.HERALD_TEMPORAL_CLI!,
        [...args, '--address', stack.config.temporal.address],
        {
          timeout: 20_000,
        },
      );
      return { status: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { status: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  const workflowsWhere = async (query: string) => {
    const ids: string[] = [];
    for await (const run of stack.temporal.workflow.list({ query })) ids.push(run.workflowId);
    return ids.sort();
  };

  it('when ops send `pause` with the temporal CLI, then the API shows the campaign paused (manual), by temporal-signal', async () => {
    const id = await draft(api, {}, 1);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');

    const sent = await cli('workflow', 'signal', '--workflow-id', workflowIdFor(id), '--name', 'pause');
    expect(sent.stderr).toBe('');
    expect(sent.status).toBe(0);
    await untilStatus(api, id, 'paused');
    expect((await api.get(`/v1/campaigns/${id}`)).body.pausedReason).toBe('manual');
    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
    expect(audit.at(-1)).toMatchObject({
      action: 'status_changed',
      fromStatus: 'active',
      toStatus: 'paused',
      actor: 'temporal-signal',
    });

    // And the CLI's resume takes it back, the same as the API's.
    expect(
      (await cli('workflow', 'signal', '--workflow-id', workflowIdFor(id), '--name', 'resume')).status,
    ).toBe(0);
    await untilStatus(api, id, 'active');
    const status = JSON.parse(
      (
        await cli(
          'workflow',
          'query',
          '--workflow-id',
          workflowIdFor(id),
          '--name',
          'status',
          '--output',
          'json',
        )
      ).stdout,
    );
    expect(JSON.stringify(status)).toContain('"phase":"active"');

    // The UI's "current details" say what the run is doing and waiting for.
    const metadata = await eventually(async () => {
      const m = await stack.temporal.workflow
        .getHandle(workflowIdFor(id))
        .query<{ currentDetails: string }>('__temporal_workflow_metadata');
      return m.currentDetails.startsWith('**active**') ? m : undefined;
    });
    expect(metadata.currentDetails).toContain('0 sent, 0 failed, 0 expired; 1 batches'); // a link-only invite: nothing to email
    expect(metadata.currentDetails).toContain('waiting for a command');
  });

  it('when ops filter on CampaignStatus="paused", then they see exactly the paused campaigns the API lists', async () => {
    const ids = [await draft(api, {}, 1), await draft(api, {}, 1), await draft(api, {}, 1)];
    for (const id of ids) await api.post(`/v1/campaigns/${id}/launch`);
    for (const id of ids.slice(0, 2)) await api.post(`/v1/campaigns/${id}/pause`);

    const fromApi = (await api.get('/v1/campaigns?status=paused&limit=500')).body.data
      .map((c) => workflowIdFor(c.id))
      .sort();
    const fromTemporal = await eventually(async () => {
      const found = await workflowsWhere(`CampaignStatus="paused" AND AccountId="${account.accountId}"`);
      return found.length === fromApi.length ? found : undefined;
    });
    expect(fromTemporal).toEqual(fromApi);
    expect(fromTemporal).toEqual(expect.arrayContaining(ids.slice(0, 2).map(workflowIdFor)));
    expect(fromTemporal).not.toContain(workflowIdFor(ids[2]));
  });

  it('when a signal arrives in a state that cannot take it, then it is recorded, ignored, and the workflow carries on', async () => {
    const id = await draft(api, {}, 1);
    const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
    await handle.signal(resumeSignal);
    await handle.signal('extendExpiry', { expiresAt: 'not a date' });
    await handle.signal('bogus-signal-name');
    const audit = await eventually(async () => {
      const entries = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
      return entries.length >= 3 ? entries : undefined;
    });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['created', expect.any(String)],
      ['refused:resume', 'temporal-signal'],
      ['refused:extendExpiry', 'temporal-signal'],
    ]);
    expect(audit[2].reason).toBe('invalid_argument: expiresAt must be an ISO 8601 instant');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
  });

  it('when an update carries malformed arguments, then its validator rejects it before history records it, and the API answers 400 for the field', async () => {
    const id = await draft(api, {}, 1);
    const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
    const update = (arg: Record<string, unknown>) =>
      handle.executeUpdate(commandUpdate, { args: [arg as never] }).catch((err: unknown) => err);
    for (const arg of [
      { type: 'pause', reason: 42, actor: 'ops' },
      { type: 'resend', actor: 'ops' },
      { type: 'extendExpiry', expiresAt: null, actor: 'ops' },
      { type: 'bogus', actor: 'ops' },
      { type: 'launch' },
    ]) {
      const failure = await update(arg);
      expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((failure as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'invalid_argument' });
    }

    const history = (await handle.fetchHistory()).events ?? [];
    expect(history.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
    expect(audit.map((e) => e.action)).toEqual(['created']);

    const campaigns = new CampaignService({
      db: stack.db,
      temporal: stack.temporal,
      taskQueue: stack.config.temporal.taskQueue,
    });
    const caller = { accountId: account.accountId, keyId: 'ops', role: 'admin' as const };
    const refused = await campaigns
      .sendCommand(caller, id, { type: 'extendExpiry', expiresAt: 42 as unknown as string })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toEqual([
      { field: 'expiresAt', message: 'extendExpiry: expiresAt is missing or of the wrong type' },
    ]);
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
  });

  it('when a burst of signals arrives, then history stays under its bound by continuing as new, and every signal is applied once, in order', async () => {
    const id = await draft(api, {}, 1);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    // Restart this campaign's workflow with a tiny history bound, carrying its state.
    const workflowId = workflowIdFor(id);
    // The row says active a moment before the workflow's own state does: carry the latter.
    const carried = await eventually(async () => {
      const q = await query(stack.temporal, id);
      return q.phase === 'active' ? q : undefined;
    });
    await stack.temporal.workflow.getHandle(workflowId).terminate('test: restart with a small history bound');
    const first = await stack.temporal.workflow.start<typeof campaignWorkflow>(CAMPAIGN_WORKFLOW, {
      workflowId,
      taskQueue: stack.config.temporal.taskQueue,
      args: [
        {
          campaignId: id,
          accountId: account.accountId,
          name: 'Lifecycle',
          historyBound: 60,
          state: {
            status: carried.phase,
            pausedFrom: null,
            pausedReason: null,
            startAt: null,
            expiresAt: null,
            batch: { size: null, gapMinutes: 0 },
            maxFailurePercent: 20,
            dispatch: { nextBatchAt: null, batchLeft: null, lookAgain: false, batches: 1, summarySent: true },
            deadlines: { at: null, dirty: true },
            seq: 100,
            launches: 1,
            progress: carried.progress,
            inbox: [],
            runCount: 1,
          },
        },
      ],
      typedSearchAttributes: [
        { key: CampaignIdKey, value: id },
        { key: AccountIdKey, value: account.accountId },
        { key: CampaignStatusKey, value: 'active' },
      ],
    });

    const pairs = 25;
    for (let i = 0; i < pairs; i++) {
      await first.signal(pauseSignal, { reason: `pass ${i}` });
      await first.signal(resumeSignal);
    }
    const changes = await eventually(
      async () => {
        const rows: { toStatus: string }[] = await stack.db.dataSource.query(
          "SELECT toStatus FROM audit_entries WHERE campaignId = ? AND action = 'status_changed' AND dedupeKey LIKE ? ORDER BY id",
          [id, `${id}:%`],
        );
        const after = rows.slice(2); // launching, active before the restart
        return after.length >= pairs * 2 ? after : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(changes.map((r) => r.toStatus)).toEqual(
      Array.from({ length: pairs }, () => ['paused', 'active']).flat(),
    );

    const latest = stack.temporal.workflow.getHandle(workflowId);
    const status = await untilQueryMatches(stack.temporal, id, { phase: 'active' });
    expect(status.runCount).toBeGreaterThan(2);
    const description = await latest.describe();
    expect(description.runId).not.toBe(first.firstExecutionRunId);
    expect(description.historyLength).toBeLessThan(120);
    await recordHistory(stack.temporal, id, 'continued-as-new');
  });
});
