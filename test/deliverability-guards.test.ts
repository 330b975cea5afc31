import { randomUUID } from 'node:crypto';
import { query, recordHistory, untilQueryMatches, untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients, invitationsOf } from './support/delivery';
import type { SentMessage } from './support/postmark-server';
import type { Schemas } from './support/api-types';
import { type ApiClient, eventually, usePostmarkStack } from './support/stack';

type Guards = Schemas['DeliverabilityGuards'];

/**
 * The complaint and bounce guards (issue 23 point 3), driven by Postmark's documented webhook
 * payloads posted to Herald's Postmark webhook route: a campaign whose spam complaints or
 * hard bounces pass its account's guards pauses itself, the owner hears at once, and Resume
 * carries on. Thresholds are kept small through each account's sending policy.
 */
describe('A campaign pauses itself when its spam complaints or hard bounces pass its guards', () => {
  const { stack, fake } = usePostmarkStack();

  /** A fresh account whose sending policy has these guards (the rest: defaults). */
  async function accountWith(guards: Partial<Guards>) {
    const made = await stack.newAccount(10_000_000);
    const api = made.as(made.adminKey);
    const put = await api.put('/v1/account/sending-policy', { limits: [], window: null, guards });
    expect(put.status).toBe(200);
    return { ...made, api };
  }

  const hook = async (body: unknown) => {
    const res = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('hooks:hook-secret').toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ handled: true });
  };

  /** Postmark's SpamComplaint webhook, as its documentation shows it, for a message Herald sent. */
  const spamComplaint = (m: SentMessage) => ({
    RecordType: 'SpamComplaint',
    MessageStream: m.MessageStream,
    ID: 42,
    Type: 'SpamComplaint',
    TypeCode: 512,
    Name: 'Spam complaint',
    Tag: '',
    MessageID: m.MessageID,
    Metadata: m.Metadata,
    ServerID: 1234,
    Description: '',
    Details: 'Test spam complaint details',
    Email: m.To,
    From: m.From,
    BouncedAt: new Date().toISOString(),
    DumpAvailable: true,
    Inactive: true,
    CanActivate: false,
    Subject: m.Subject,
    Content: '<Abuse report dump>',
  });

  /** Postmark's Bounce webhook of Type HardBounce, as its documentation shows it. */
  const hardBounce = (m: SentMessage) => ({
    RecordType: 'Bounce',
    MessageStream: m.MessageStream,
    ID: 4323372036854775000,
    Type: 'HardBounce',
    TypeCode: 1,
    Name: 'Hard bounce',
    Tag: '',
    MessageID: m.MessageID,
    Metadata: m.Metadata,
    ServerID: 23,
    Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Details: 'Test bounce details',
    Email: m.To,
    From: m.From,
    BouncedAt: new Date().toISOString(),
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: m.Subject,
    Content: '<Full dump of bounce>',
  });

  /** A launched campaign whose `n` invitations all went out. */
  async function sentTo(api: ApiClient, n: number) {
    const { id } = await draftWithRecipients(api, n, { batch: { size: null, gapMinutes: 0 } });
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active', 30_000);
    const messages = invitationsOf(fake, id);
    expect(messages).toHaveLength(n);
    return { id, messages };
  }

  const alertsTo = (ownerEmail: string, campaignId: string) =>
    fake.sent.filter(
      (m) => m.To === ownerEmail && m.Metadata.kind === 'owner_alert' && m.Metadata.campaignId === campaignId,
    );
  const pausedEvents = async (campaignId: string) =>
    (
      await stack.db.dataSource.query<{ payload: string }[]>(
        "SELECT payload FROM webhook_events WHERE campaignId = ? AND type = 'campaign.status_changed' ORDER BY id",
        [campaignId],
      )
    )
      .map((r) => JSON.parse(r.payload) as { data: Record<string, unknown> })
      .filter((e) => e.data.to === 'paused');

  it('when spam complaints pass the complaint guard, then the campaign pauses itself (complaint_rate), the owner is alerted on the outbound stream, and the API, the audit log, the webhook event and the workflow say why', async () => {
    const { api, ownerEmail } = await accountWith({ complaintRate: 0.1, complaintMinDelivered: 10 });
    const { id, messages } = await sentTo(api, 10);

    // One in ten is exactly the threshold: not over it.
    await hook(spamComplaint(messages[0]));
    expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
      status: 'active',
      pausedReason: null,
    });

    await hook(spamComplaint(messages[1]));
    await untilStatus(api, id, 'paused');
    const campaign = (await api.get(`/v1/campaigns/${id}`)).body;
    expect(campaign).toMatchObject({
      status: 'paused',
      pausedReason: 'complaint_rate',
    });

    const alert = await eventually(async () => alertsTo(ownerEmail, id)[0]);
    expect(alert.MessageStream).toBe('outbound');
    expect(alert.Subject).toBe('Action needed: "Delivery" is paused — too many spam complaints');
    expect(alert.TextBody).toContain('2 spam complaints of 10 emails delivered (20%, more than the 10%');
    expect(alert.TextBody).toContain(`POST /v1/campaigns/${id}/resume`);

    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
    const pause = audit.filter((e) => e.action === 'status_changed' && e.toStatus === 'paused');
    expect(pause).toHaveLength(1);
    expect(pause[0]).toMatchObject({ actor: 'system', fromStatus: 'active' });
    expect(pause[0].reason).toMatch(/^complaint_rate: 2 spam complaints of 10 emails delivered/);

    expect(await eventually(async () => (await pausedEvents(id))[0])).toMatchObject({
      type: 'campaign.status_changed',
      data: { campaignId: id, from: 'active', to: 'paused', pausedReason: 'complaint_rate' },
    });
    await eventually(async () => {
      const { pausedReason, pausedFrom } = await query(stack.temporal, id);
      return pausedReason === 'complaint_rate' && pausedFrom === 'active' ? true : undefined;
    });

    // A third complaint tells the paused campaign again: nothing changes, nobody is alerted twice.
    await hook(spamComplaint(messages[2]));
    await hook(spamComplaint(messages[2]));
    expect((await query(stack.temporal, id)).phase).toBe('paused');
    expect(alertsTo(ownerEmail, id)).toHaveLength(1);
    expect(
      (await api.get(`/v1/campaigns/${id}/audit`)).body.data.filter(
        (e) => e.toStatus === 'paused' || e.action.startsWith('refused'),
      ),
    ).toHaveLength(1);
    await recordHistory(stack.temporal, id, 'paused-by-complaint-guard');
  });

  it('when hard bounces pass the bounce guard while launching, then no further batch, invitation or added invite goes out until Resume, which sends the rest once each', async () => {
    const { api, ownerEmail } = await accountWith({ bounceRate: 0.25, bounceMinSent: 5 });
    const gapMs = 3000;
    const { id, emails } = await draftWithRecipients(api, 15, {
      batch: { size: 5, gapMinutes: gapMs / 60_000 },
    });
    await api.post(`/v1/campaigns/${id}/launch`);
    // The provider has them, and Herald has recorded them (a bounce names a message by the id
    // Herald records after the provider's answer).
    const first = await eventually(async () => {
      const sent = invitationsOf(fake, id);
      const recorded = (await api.get(`/v1/campaigns/${id}`)).body.progress.sent;
      return sent.length >= 5 && recorded >= 5 ? sent.slice(0, 5) : undefined;
    });
    // 1 of 5 is 20 %, not over 25 %; 2 of 5 is 40 %.
    await hook(hardBounce(first[0]));
    expect((await api.get(`/v1/campaigns/${id}`)).body.status).toBe('launching');
    await hook(hardBounce(first[1]));
    await untilStatus(api, id, 'paused');
    const pausedAt = Date.now();
    expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
      pausedReason: 'bounce_rate',
    });
    const alert = await eventually(async () => alertsTo(ownerEmail, id)[0]);
    expect(alert.MessageStream).toBe('outbound');
    expect(alert.Subject).toBe('Action needed: "Delivery" is paused — too many hard bounces');

    // Invites added while paused wait too.
    const late = `late-${randomUUID()}@example.com`;
    expect((await api.post(`/v1/campaigns/${id}/invites`, { email: late })).status).toBe(201);
    const atPause = invitationsOf(fake, id).length;
    expect(atPause).toBeLessThan(15);
    // Two batch gaps after the pause, the next batch would have gone: none did.
    await eventually(async () => (Date.now() > pausedAt + 2 * gapMs ? true : undefined));
    expect(invitationsOf(fake, id)).toHaveLength(atPause);

    expect((await api.post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await untilStatus(api, id, 'active', 30_000);
    const sent = invitationsOf(fake, id).map((m) => m.To);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.sort()).toEqual([...emails, late].sort());
  });

  it('when a guard pauses an active campaign, then reminders that fall due while it is paused wait for Resume, then go once each', async () => {
    const { api } = await accountWith({ complaintRate: 0.1, complaintMinDelivered: 10 });
    const { id } = await draftWithRecipients(api, 0, { batch: { size: null, gapMinutes: 0 } });
    const expiresAt = Date.now() + 40_000;
    const reminderAt = expiresAt - 30_000; // reminderDaysBefore: 30 s
    const domain = `r${Date.now()}.example.com`;
    const added = await api.post(`/v1/campaigns/${id}/invites/bulk`, {
      recipients: Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@${domain}` })),
      expiresIn: new Date(expiresAt).toISOString(),
      reminderDaysBefore: 30 / 86_400,
    });
    expect(added.status).toBe(201);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active', 30_000);
    const messages = invitationsOf(fake, id);
    expect(messages).toHaveLength(10);
    const reminders = () =>
      fake.sent.filter((m) => m.Metadata.campaignId === id && m.Metadata.kind === 'reminder');

    await hook(spamComplaint(messages[0]));
    await hook(spamComplaint(messages[1]));
    await untilStatus(api, id, 'paused');
    expect(Date.now()).toBeLessThan(reminderAt); // paused before the reminders fell due
    await eventually(async () => (Date.now() > reminderAt + 2000 ? true : undefined), { timeoutMs: 20_000 });
    expect(reminders()).toEqual([]);

    expect((await api.post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    // The two who complained are suppressed: the other eight get theirs, once.
    const sent = await eventually(async () => (reminders().length >= 8 ? reminders() : undefined));
    expect(sent.map((m) => m.To).sort()).toEqual(
      messages
        .slice(2)
        .map((m) => m.To)
        .sort(),
    );
  });

  it('when every email of a small campaign bounces or complains, but fewer than the minimum samples were sent, then it does not pause', async () => {
    const { api } = await accountWith({}); // the defaults: 1,000 delivered, 100 sent
    const { id, messages } = await sentTo(api, 4);
    await hook(hardBounce(messages[0]));
    await hook(hardBounce(messages[1]));
    await hook(spamComplaint(messages[2]));
    await hook(spamComplaint(messages[3]));
    const invites = await allInvites(api, id);
    expect(invites.map((i) => i.delivery.status).sort()).toEqual([
      'bounced',
      'bounced',
      'complained',
      'complained',
    ]);
    expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
      status: 'active',
      pausedReason: null,
    });
    await untilQueryMatches(stack.temporal, id, { phase: 'active' });
  });

  it('when the campaign is resumed after a guard paused it, then it is active again; a later complaint while still over the threshold pauses it again', async () => {
    const { api } = await accountWith({ complaintRate: 0.1, complaintMinDelivered: 10 });
    const { id, messages } = await sentTo(api, 10);
    await hook(spamComplaint(messages[0]));
    await hook(spamComplaint(messages[1]));
    await untilStatus(api, id, 'paused');

    const resumed = await api.post(`/v1/campaigns/${id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null });

    await hook(spamComplaint(messages[2]));
    await untilStatus(api, id, 'paused');
    expect((await api.get(`/v1/campaigns/${id}`)).body.pausedReason).toBe('complaint_rate');
  });

  it('when a campaign is paused by a person, then a complaint over the guard, or the guard signal itself, leaves it paused as manual', async () => {
    const { api } = await accountWith({ complaintRate: 0.1, complaintMinDelivered: 2 });
    const { id, messages } = await sentTo(api, 2);
    expect((await api.post(`/v1/campaigns/${id}/pause`)).body.status).toBe('paused');
    await hook(spamComplaint(messages[0]));
    // The workflow is told directly too (as a complaint racing the pause would): it ignores it.
    await stack.temporal.workflow
      .getHandle(`campaign-${id}`)
      .signal('deliverabilityGuard', { reason: 'complaint_rate', detail: 'racing the pause' });
    // A command after the signal is applied after it (one inbox, in order).
    expect((await api.patch(`/v1/campaigns/${id}`, { maxFailurePercent: 30 })).status).toBe(200);
    expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
      status: 'paused',
      pausedReason: 'manual',
    });
    expect((await query(stack.temporal, id)).pausedReason).toBe('manual');
    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
    expect(audit.filter((e) => e.toStatus === 'paused')).toHaveLength(1);
    expect(audit.filter((e) => e.action.startsWith('refused'))).toEqual([]);
  });

  it("when another campaign of the account has complaints, then this one's guard does not count them", async () => {
    const { api } = await accountWith({ complaintRate: 0.1, complaintMinDelivered: 2 });
    const noisy = await sentTo(api, 2);
    const quiet = await sentTo(api, 2);
    await hook(spamComplaint(noisy.messages[0]));
    await untilStatus(api, noisy.id, 'paused');
    expect((await api.get(`/v1/campaigns/${quiet.id}`)).body.status).toBe('active');
  });
});
