import { Campaign } from '../entities/Campaign';
import { draft, query, recordHistory, untilStatus } from './support/campaigns';
import { eventually, useAccount, useStack } from './support/stack';

/**
 * Issue 24: the batches of a launched or paused campaign change through its workflow (a
 * command, audited), and the next batch follows them — the seed's "restart the batch sending
 * process from Step 2" after an email token was renewed.
 */
describe('Changing the batches of a launched campaign', () => {
  const stack = useStack();
  const account = useAccount(stack, 1_000_000, { support: true });
  const api = account.api;

  const auditOf = async (id: string) =>
    (await api.get(`/v1/campaigns/${id}/audit?limit=500`)).body.data as {
      action: string;
      actor: string;
      reason: string | null;
      toStatus: string | null;
      details?: Record<string, unknown> | null;
    }[];
  const rowOf = (id: string) => stack.db.manager.findOneByOrFail(Campaign, { id });
  /** A draft with `n` emailed recipients. */
  const withRecipients = async (batch: { size: number | null; gapMinutes: number }, n: number) => {
    const id = await draft(api, { batch });
    const recipients = Array.from({ length: n }, (_, k) => ({
      email: `batch-change-${k}-${id}@herald.test`,
    }));
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients })).status).toBe(201);
    return id;
  };
  const sentTimes = async (id: string) =>
    ((await api.get(`/v1/campaigns/${id}/invites?limit=100`)).body.data as { sentAt: string | null }[])
      .map((i) => Date.parse(i.sentAt!))
      .sort((a, b) => a - b);

  it('when an admin changes them while a launching campaign waits out its gap, then the next batches have the new size and gap, the row shows them and the audit says who changed what from what to what', async () => {
    const id = await withRecipients({ size: 2, gapMinutes: 60 }, 5);
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    // The first batch of two is out; the next would wait an hour.
    const inGap = await eventually(async () => {
      const s = await query(stack.temporal, id);
      return s.progress.sent === 2 && s.nextTimerAt ? s : undefined;
    });
    expect(inGap.phase).toBe('launching');
    expect(Date.parse(inGap.nextTimerAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect((await api.get(`/v1/campaigns/${id}`)).body.actions).toContain('change_batch');

    const changed = await api.patch(`/v1/campaigns/${id}`, { batch: { size: 1, gapMinutes: 0.02 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'launching', batch: { size: 1, gapMinutes: 0.02 } });

    // The hour is gone: one invite a batch, 1.2 s apart, until every one is out.
    await untilStatus(api, id, 'active');
    const done = await query(stack.temporal, id);
    expect(done.progress.sent).toBe(5);
    expect(done.batches).toBe(4);
    const times = await sentTimes(id);
    for (const k of [3, 4]) expect(times[k] - times[k - 1]).toBeGreaterThanOrEqual(1_200);
    expect(await rowOf(id)).toMatchObject({ batchSize: 1, batchGapMinutes: 0.02 });

    const audit = await auditOf(id);
    const launchedBy = audit.find((e) => e.toStatus === 'launching')!.actor;
    const entry = audit.find((e) => e.action === 'settings_changed')!;
    expect(entry).toMatchObject({
      actor: launchedBy,
      reason: 'batch: 2 every 60 min → 1 every 0.02 min',
      details: { field: 'batch', from: { size: 2, gapMinutes: 60 }, to: { size: 1, gapMinutes: 0.02 } },
    });
    await recordHistory(stack.temporal, id, 'batches-changed-in-gap');
  });

  it('when a paused campaign gets new batches and support resumes it, then it sends in the new batches at once; support itself may not change them', async () => {
    const id = await withRecipients({ size: 1, gapMinutes: 60 }, 3);
    await api.post(`/v1/campaigns/${id}/launch`);
    await eventually(async () => ((await query(stack.temporal, id)).progress.sent === 1 ? true : undefined));
    expect((await account.support.post(`/v1/campaigns/${id}/pause`)).status).toBe(200);

    expect((await account.support.get(`/v1/campaigns/${id}`)).body.actions).not.toContain('change_batch');
    const bySupport = await account.support.patch(`/v1/campaigns/${id}`, {
      batch: { size: 5, gapMinutes: 0 },
    });
    expect(bySupport.status).toBe(403);

    expect((await api.get(`/v1/campaigns/${id}`)).body.actions).toContain('change_batch');
    const changed = await api.patch(`/v1/campaigns/${id}`, { batch: { size: 2, gapMinutes: 0.02 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'paused', batch: { size: 2, gapMinutes: 0.02 } });

    expect((await account.support.post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    const done = await query(stack.temporal, id);
    expect(done.progress.sent).toBe(3);
    expect(done.batches).toBe(2);
  });

  it('when the batches are bad, or the campaign is over, then they are refused in words and nothing changes', async () => {
    const id = await withRecipients({ size: 1, gapMinutes: 60 }, 2);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'launching');

    const bad = await api.patch(`/v1/campaigns/${id}`, { batch: { size: 0, gapMinutes: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'batch.gapMinutes',
      'batch.size',
    ]);

    expect((await api.post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    expect((await api.get(`/v1/campaigns/${id}`)).body.actions).not.toContain('change_batch');
    const ended = await api.patch(`/v1/campaigns/${id}`, { batch: { size: 10, gapMinutes: 1 } });
    expect(ended.status).toBe(409);
    expect(ended.body).toMatchObject({
      code: 'invalid_state',
      currentStatus: 'cancelled',
      detail: 'Cannot change the batches of a campaign that is cancelled: it sends nothing more',
    });
    expect(await rowOf(id)).toMatchObject({ batchSize: 1, batchGapMinutes: 60 });
    expect((await auditOf(id)).map((e) => e.action)).not.toContain('settings_changed');
  });
});
