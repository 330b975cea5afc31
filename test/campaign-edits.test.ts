import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../activities';
import { campaignActivities } from '../activities/campaign';
import { classifyErrors } from '../activities/errors';
import { workflowIdFor } from '../domain/campaign';
import { Campaign } from '../entities/Campaign';
import { draft, inSeconds, query, recordHistory, untilQueryMatches, untilStatus } from './support/campaigns';
import { eventually, useAccount, useStack } from './support/stack';

/** Past the last storable instant once converted to UTC: 10000-01-01T13:59:59Z. */
const PAST_YEAR_9999 = '9999-12-31T23:59:59-14:00';
const EVENT = { title: 'Launch party', startsAt: '2030-06-01T18:00:00Z', durationMinutes: 90 };

describe('Editing a campaign: instants in range, settings that reach the workflow, all or nothing', () => {
  const stack = useStack();
  const account = useAccount(stack, 1_000_000);
  const api = account.api;

  const auditOf = async (id: string) =>
    (await api.get(`/v1/campaigns/${id}/audit?limit=500`)).body.data as {
      action: string;
      actor: string;
      reason: string | null;
      toStatus: string | null;
    }[];
  const rowOf = (id: string) => stack.db.manager.findOneByOrFail(Campaign, { id });
  const untilClosed = (id: string) =>
    eventually(async () =>
      (await stack.temporal.workflow.getHandle(workflowIdFor(id)).describe()).status.name === 'COMPLETED'
        ? true
        : undefined,
    );

  describe('Instants outside years 2000–9999 (UTC)', () => {
    it('when a create, a PATCH or an invite carries one, then 400 validation_failed names the field and nothing changes', async () => {
      const created = await api.post('/v1/campaigns', { name: 'Far', expiresAt: PAST_YEAR_9999 });
      expect(created.status).toBe(400);
      expect(created.body.code).toBe('validation_failed');
      expect(created.body.errors).toEqual([
        { field: 'expiresAt', message: expect.stringMatching(/2000.*9999/) },
      ]);

      const yearZero = await api.post('/v1/campaigns', { name: 'Old', startAt: '0000-01-01T00:00:00Z' });
      expect(yearZero.status).toBe(400);
      expect(yearZero.body.errors.map((e) => e.field)).toEqual(['startAt']);

      const id = await draft(api);
      const patched = await api.patch(`/v1/campaigns/${id}`, { startAt: PAST_YEAR_9999 });
      expect(patched.status).toBe(400);
      expect(patched.body.errors.map((e) => e.field)).toEqual(['startAt']);
      expect((await api.get(`/v1/campaigns/${id}`)).body.startAt).toBeNull();
      expect((await query(stack.temporal, id)).startAt).toBeNull();

      const invite = await api.post(`/v1/campaigns/${id}/invites`, {
        email: 'far@example.com',
        expiresIn: PAST_YEAR_9999,
      });
      expect(invite.status).toBe(400);
      expect(invite.body.errors.map((e) => e.field)).toEqual(['expiresIn']);
      expect((await api.get(`/v1/campaigns/${id}/invites`)).body.data).toEqual([]);
    });

    it('when an instant is the last millisecond of 9999 in UTC, then it is accepted and stored as sent', async () => {
      const created = await api.post('/v1/campaigns', {
        name: 'Edge',
        expiresAt: '9999-12-31T23:59:59.999Z',
        startAt: '2000-01-01T00:00:00Z',
      });
      expect(created.status).toBe(201);
      const read = (await api.get(`/v1/campaigns/${created.body.id}`)).body;
      expect(read).toMatchObject({
        expiresAt: '9999-12-31T23:59:59.999Z',
        startAt: '2000-01-01T00:00:00.000Z',
      });
    });

    it('when a reschedule signal bypasses the API with a date the database cannot store, then the activity fails once without retrying, the workflow refuses it, and a later cancel ends the campaign', async () => {
      const id = await draft(api, {}, 1);
      const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
      await handle.signal('reschedule', { startAt: PAST_YEAR_9999 });

      const refused = await eventually(async () =>
        (await auditOf(id)).find((e) => e.action === 'refused:reschedule'),
      );
      expect(refused.reason).toMatch(/^invalid_argument: /);
      expect(refused.actor).toBe('temporal-signal');
      expect((await query(stack.temporal, id)).startAt).toBeNull();
      expect((await rowOf(id)).startAt).toBeNull();

      // Attempt 1 was the last: a bad value is never retried.
      const history = await handle.fetchHistory();
      const attempts = (history.events ?? [])
        .filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes!.attempt);
      expect(attempts.every((a) => a === 1)).toBe(true);

      const cancelled = await api.post(`/v1/campaigns/${id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      await untilClosed(id);
      await recordHistory(stack.temporal, id, 'reschedule-refused-as-bad-data');
    });
  });

  describe('How activity failures are classified', () => {
    it('when an activity meets a value the database refuses, then it fails as a non-retryable bad_data failure naming neither the SQL nor its values; other errors stay retryable', async () => {
      const acts = classifyErrors(campaignActivities({ db: stack.db } as ActivityDeps));
      const id = await draft(api);
      const failure = await acts
        .recordAudit({
          campaignId: id,
          accountId: account.accountId,
          seq: 1_000,
          actor: null as unknown as string, // a NOT NULL column
          action: 'probe',
          status: 'draft',
          reason: 'secret-value-123',
        })
        .catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'bad_data', nonRetryable: true });
      expect((failure as Error).message).toMatch(/^recordAudit: /);
      expect((failure as Error).message).not.toMatch(/secret-value-123|INSERT/i);

      const transient = new Error('connect ECONNREFUSED');
      const passthrough = classifyErrors({
        probe: async () => {
          throw transient;
        },
      });
      await expect(passthrough.probe()).rejects.toBe(transient);
    });
  });

  describe('maxFailurePercent', () => {
    it('when it is changed on a draft, then the row and the workflow both hold it after launch', async () => {
      const id = await draft(api, {}, 1);
      const edited = await api.patch(`/v1/campaigns/${id}`, { maxFailurePercent: 50 });
      expect(edited.status).toBe(200);
      expect(edited.body.maxFailurePercent).toBe(50);
      expect((await api.get(`/v1/campaigns/${id}`)).body.maxFailurePercent).toBe(50);
      await api.post(`/v1/campaigns/${id}/launch`);
      expect((await query(stack.temporal, id)).maxFailurePercent).toBe(50);
    });

    it("when a draft's batches are edited before launch, then the launch sends in the edited batches", async () => {
      const id = await draft(api, { batch: { size: null, gapMinutes: 0 } });
      // The workflow has read its row (it holds the default 20 % from then on): the edit comes after.
      await eventually(async () =>
        (await query(stack.temporal, id)).maxFailurePercent === 20 ? true : undefined,
      );
      const recipients = [1, 2, 3].map((n) => ({ email: `batch-${n}-${id}@herald.test` }));
      expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients })).status).toBe(201);
      expect((await api.patch(`/v1/campaigns/${id}`, { batch: { size: 1, gapMinutes: 0.02 } })).status).toBe(
        200,
      );
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      const status = await query(stack.temporal, id);
      // One invite a batch: three batches, not the one "all at once" the draft was created with.
      expect(status.progress.sent).toBe(3);
      expect(status.batches).toBe(3);
      await recordHistory(stack.temporal, id, 'draft-batches-edited');
    });

    it('when it is changed on a launched campaign, then its workflow applies it, the row shows it and the audit records it; a cancelled one refuses with 409', async () => {
      const id = await draft(api, {}, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      const edited = await api.patch(`/v1/campaigns/${id}`, { maxFailurePercent: 75 });
      expect(edited.status).toBe(200);
      expect(edited.body.maxFailurePercent).toBe(75);
      expect((await query(stack.temporal, id)).maxFailurePercent).toBe(75);
      expect((await auditOf(id)).find((e) => e.action === 'settings_changed')?.reason).toBe(
        'maxFailurePercent: 20 → 75',
      );

      await api.post(`/v1/campaigns/${id}/cancel`);
      const refused = await api.patch(`/v1/campaigns/${id}`, { maxFailurePercent: 10 });
      expect(refused.status).toBe(409);
      expect((await rowOf(id)).maxFailurePercent).toBe(75);
    });
  });

  describe('A user pause is always manual', () => {
    it('when the API pauses with the reason "failure_rate", then it is recorded as manual with the text as a note, and retry-failed leaves it paused', async () => {
      const id = await draft(api, {}, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      const paused = await api.post(`/v1/campaigns/${id}/pause`, { reason: 'failure_rate' });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'manual' });
      const entry = (await auditOf(id)).find((e) => e.toStatus === 'paused')!;
      expect(entry.reason).toBe('failure_rate');
      expect(entry.actor).not.toBe('system');

      const retried = await api.post(`/v1/campaigns/${id}/retry-failed`);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ status: 'paused', pausedReason: 'manual' });
      await api.post(`/v1/campaigns/${id}/cancel`);
      await untilClosed(id);
      await recordHistory(stack.temporal, id, 'user-pause-is-manual');
    });

    it('when the pause signal carries the reason "failure_rate", then the workflow and the API both say manual', async () => {
      const id = await draft(api, {}, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      await stack.temporal.workflow.getHandle(workflowIdFor(id)).signal('pause', { reason: 'failure_rate' });
      await untilStatus(api, id, 'paused');
      expect((await api.get(`/v1/campaigns/${id}`)).body.pausedReason).toBe('manual');
      await untilQueryMatches(stack.temporal, id, { pausedReason: 'manual' });
      const retried = await api.post(`/v1/campaigns/${id}/retry-failed`);
      expect(retried.body.status).toBe('paused');
    });
  });

  describe('A PATCH is all or nothing', () => {
    it('when a launched campaign gets a new event together with a draft-only field, then 409 and neither the event nor the name changes, and no calendar pass starts', async () => {
      const id = await draft(api, { event: EVENT }, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      const before = await rowOf(id);
      const res = await api.patch(`/v1/campaigns/${id}`, {
        event: { ...EVENT, title: 'Moved party' },
        name: 'Renamed',
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('invalid_state');
      const after = await rowOf(id);
      expect(after).toMatchObject({
        name: before.name,
        event: before.event,
        eventSequence: before.eventSequence,
      });
      expect((await auditOf(id)).map((e) => e.action)).not.toContain('event_changed');
    });

    it('when a launched campaign gets a new maxFailurePercent together with a start date it cannot take, then 409 and the workflow keeps its threshold', async () => {
      const id = await draft(api, {}, 1);
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      const res = await api.patch(`/v1/campaigns/${id}`, {
        maxFailurePercent: 90,
        expiresAt: inSeconds(3600),
        startAt: inSeconds(600),
      });
      expect(res.status).toBe(409);
      expect((await query(stack.temporal, id)).maxFailurePercent).toBe(20);
      expect((await query(stack.temporal, id)).expiresAt).toBeNull();
      expect(await rowOf(id)).toMatchObject({ maxFailurePercent: 20, expiresAt: null });
    });

    it('when a draft gets a new name together with an expiry in the past, then 400 and the name is unchanged', async () => {
      const id = await draft(api, { name: 'Original' });
      const res = await api.patch(`/v1/campaigns/${id}`, {
        name: 'Renamed',
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
      expect((await rowOf(id)).name).toBe('Original');
    });
  });
});
