import type { ChildProcess } from 'node:child_process';
import { loadConfig } from '../config/config';
import { workflowIdFor } from '../domain/campaign';
import { untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients, invitationsOf, perRecipient } from './support/delivery';
import { type ApiClient, eventually, usePostmarkStack } from './support/stack';
import { killLeft, startWorkerProcess } from './support/processes';

describe('Exactly once when the worker dies mid-batch', () => {
  const workers: ChildProcess[] = [];
  // A dead worker's send is retried once its heartbeat is HEARTBEAT_TIMEOUT_SECONDS late (20 s
  // unset), and its workflows' tasks are taken by another sooner; a webhook request must then
  // time out sooner too (the configuration says so). For the API (which starts the campaigns)
  // and the workers alike.
  const soonerAfterDeath = { HEARTBEAT_TIMEOUT_SECONDS: '5', WEBHOOK_TIMEOUT_SECONDS: '2' };

  // Declared before the stack's: the workers are killed before the stack and Postmark close.
  afterAll(() => killLeft(workers));
  // No worker in the stack: the only workers are the processes this file starts and kills.
  const { stack, fake } = usePostmarkStack({ worker: false, env: soonerAfterDeath });
  // Each test's own workers only: one left from the last test could run the batch the next one kills.
  afterEach(async () => {
    const live = workers.filter((w) => w.exitCode === null && w.signalCode === null);
    killLeft(live);
    await Promise.all(live.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  });

  // The global setup's bundle: a worker bundling its own would spend ~10 s of CPU at each start.
  const prebuilt = { WORKFLOW_BUNDLE: process.env.HERALD_TEST_WORKFLOW_BUNDLE! };
  const startWorker = () => startWorkerProcess(stack, fake, workers, { ...soonerAfterDeath, ...prebuilt });

  /** Launches the campaign and SIGKILLs `worker` once Postmark has taken its first batch of 100. */
  async function launchAndKillMidBatch(api: ApiClient, id: string, worker: ChildProcess): Promise<void> {
    fake.delayMs(1500); // Postmark accepts at once and answers late: the window to die in
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await eventually(async () => (invitationsOf(fake, id).length >= 100 ? true : undefined), {
      timeoutMs: 30_000,
    });
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
  }

  it('when the worker is SIGKILLed after Postmark took a batch of 100 but before it was recorded, then a new worker settles it in a handful of provider calls: one email per recipient, none missing', async () => {
    const first = await startWorker();
    const account = await stack.newAccount(1_000_000);
    const api = account.as(account.adminKey);
    const { id, emails } = await draftWithRecipients(api, 300, { batch: { size: 100, gapMinutes: 0 } });
    await launchAndKillMidBatch(api, id, first);
    const atCrash = invitationsOf(fake, id).length;
    expect(atCrash).toBeGreaterThanOrEqual(100);
    expect(atCrash).toBeLessThan(300);
    // Nothing was recorded for the batch in flight: the database still thinks it unsent.
    expect((await allInvites(api, id)).filter((i) => i.sentAt).length).toBeLessThan(atCrash);

    // Postmark answers searches as slowly as it answered the send: one search per pending
    // message (100 × 1.5 s) would stall recovery; one per batch does not.
    const restartedAt = new Date();
    await startWorker();
    await untilStatus(api, id, 'active', 90_000);
    fake.delayMs(0);

    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const invites = await allInvites(api, id);
    expect(invites.every((i) => i.sentAt && i.delivery.status === 'sent')).toBe(true);
    // The settle step asked Postmark before sending again, in a handful of calls, not one per message.
    const searches = fake.calls.filter((c) => c.path.startsWith('/messages/outbound') && c.at >= restartedAt);
    expect(searches.length).toBeGreaterThanOrEqual(1);
    expect(searches.length).toBeLessThanOrEqual(3);
    // The killed attempt timed out on the campaign's own heartbeat timeout, the configured 5 s.
    const history = await stack.temporal.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    const sends = (history.events ?? []).flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      return scheduled?.activityType?.name === 'sendChunk' ? [scheduled] : [];
    });
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.map((a) => Number(a.heartbeatTimeout?.seconds))).toEqual(sends.map(() => 5));
    // Retried: the killed attempt timed out, the next one (on the new worker) settled the batch.
    expect((history.events ?? []).some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 0) > 1)).toBe(
      true,
    );
  }, 180_000);

  it('when HEARTBEAT_TIMEOUT_SECONDS is set, then a webhook request must time out sooner, as it runs between two heartbeats', () => {
    expect(() => loadConfig({ HEARTBEAT_TIMEOUT_SECONDS: '5' })).toThrow(
      'WEBHOOK_TIMEOUT_SECONDS: expected less than HEARTBEAT_TIMEOUT_SECONDS',
    );
    expect(
      loadConfig({ HEARTBEAT_TIMEOUT_SECONDS: '5', WEBHOOK_TIMEOUT_SECONDS: '2' }).temporal,
    ).toMatchObject({
      heartbeatTimeoutMs: 5000,
    });
    expect(loadConfig({}).temporal.heartbeatTimeoutMs).toBeUndefined();
  });

  it("when the worker dies with a batch unsettled and the account's token is then revoked, then the campaign pauses with email_token_invalid (not retrying the settle with a dead token); after a new token of the same Postmark server and a resume, the batch is settled, not sent again", async () => {
    const first = await startWorker();
    const account = await stack.newAccount(1_000_000);
    const api = account.as(account.adminKey);
    fake.addToken('crash-token-one');
    const provider = { postmarkServerToken: 'crash-token-one', fromEmail: 'events@acme.test' };
    expect((await api.put('/v1/account/email-provider', provider)).status).toBe(200);
    const { id, emails } = await draftWithRecipients(api, 300, { batch: { size: 100, gapMinutes: 0 } });
    await launchAndKillMidBatch(api, id, first);
    fake.revokeToken('crash-token-one');
    fake.delayMs(0);
    const atCrash = invitationsOf(fake, id).length;
    expect(atCrash).toBeLessThan(300);

    await startWorker();
    await untilStatus(api, id, 'paused', 60_000);
    expect((await api.get(`/v1/campaigns/${id}`)).body.pausedReason).toBe('email_token_invalid');
    expect(invitationsOf(fake, id)).toHaveLength(atCrash);

    fake.addToken('crash-token-two', { sameServerAs: 'crash-token-one' });
    expect(
      (await api.put('/v1/account/email-provider', { ...provider, postmarkServerToken: 'crash-token-two' }))
        .status,
    ).toBe(200);
    expect((await api.post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await untilStatus(api, id, 'active', 60_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect((await allInvites(api, id)).every((i) => i.sentAt && i.delivery.status === 'sent')).toBe(true);
  }, 180_000);
});
