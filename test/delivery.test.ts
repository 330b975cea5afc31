import { draft, recordHistory, untilStatus } from './support/campaigns';
import {
  allInvites,
  draftWithRecipients,
  invitationsOf,
  perRecipient,
  PLATFORM_FROM,
} from './support/delivery';
import { untilCampaignQuiet } from './support/idle';
import { eventually, useAccount, usePostmarkStack } from './support/stack';
import { checkedFetch } from './support/openapi-check';

describe('Delivery through Postmark: batches, exactly once, and a dying token', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000, { support: true });
  const { api, support } = account;
  beforeEach(() => fake.reset());

  const toOwner = () => fake.sent.filter((m) => m.To === account.ownerEmail);
  const batchCalls = () => fake.calls.filter((c) => c.path === '/email/batch' && c.count > 0);

  it('when 1,000 invites go in batches of 100 with a gap, then each recipient gets exactly one email with their own link, batches spaced as asked', async () => {
    const gapSeconds = 1.5;
    const { id, emails } = await draftWithRecipients(api, 1000, {
      batch: { size: 100, gapMinutes: gapSeconds / 60 },
      email: { fromName: 'Acme Events' },
    });
    const launched = await api.post(`/v1/campaigns/${id}/launch`);
    expect(launched.body.status).toBe('launching');
    await untilStatus(api, id, 'active', 60_000);

    const messages = invitationsOf(fake, id);
    expect(messages).toHaveLength(1000);
    const counts = perRecipient(messages);
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const urlByEmail = new Map((await allInvites(api, id)).map((i) => [i.email, i.url]));
    for (const m of messages) {
      const url = urlByEmail.get(m.To)!;
      expect(m.HtmlBody).toContain(`href="${url}"`);
      expect(m.TextBody).toContain(url);
      expect(m.From).toBe(`"Acme Events" <${PLATFORM_FROM}>`);
      expect(m.Metadata).toMatchObject({
        kind: 'invitation',
        idempotencyKey: `invitation:${m.Metadata.inviteId}`,
      });
    }

    const calls = batchCalls().slice(0, 10); // then one call carrying the owner's summary
    expect(calls.map((c) => c.count)).toEqual(Array(10).fill(100));
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i].at.getTime() - calls[i - 1].at.getTime()).toBeGreaterThanOrEqual(
        gapSeconds * 1000 - 50,
      );
    }
    const invites = await allInvites(api, id);
    expect(invites.every((i) => i.sentAt && i.delivery.status === 'sent')).toBe(true);
    expect((await api.get(`/v1/campaigns/${id}`)).body.progress).toMatchObject({
      total: 1000,
      sent: 1000,
      pending: 0,
    });

    const ofThis = () => toOwner().filter((m) => m.Metadata.campaignId === id);
    const summaries = await eventually(async () => (ofThis().length ? ofThis() : undefined));
    expect(summaries).toHaveLength(1);
    expect(summaries[0].Subject).toBe('Campaign "Delivery" finished sending: 1000 sent, 0 failed');
    expect(summaries[0].From).toContain(PLATFORM_FROM);
  });

  it("when the account's token is revoked after the second batch, then the campaign pauses (email_token_invalid), the owner gets one alert, and renew + resume finishes with no duplicate", async () => {
    // An account of its own: its token outlives this test, and the fake forgets tokens between tests.
    const account = await stack.newAccount(1_000_000);
    const api = account.as(account.adminKey);
    const ownerEmail = (await api.get('/v1/account')).body.ownerEmail;
    const toOwner = () => fake.sent.filter((m) => m.To === ownerEmail);
    expect(
      (
        await api.request('PUT', '/v1/account/email-provider', {
          postmarkServerToken: 'account-token-one',
          fromEmail: 'events@acme.test',
        })
      ).body,
    ).toEqual({
      fromEmail: 'events@acme.test',
      tokenConfigured: true,
      tokenHint: '…-one',
      messageStream: 'broadcast',
    });
    fake.addToken('account-token-one');
    const { id, emails } = await draftWithRecipients(api, 400, { batch: { size: 100, gapMinutes: 2 / 60 } });
    await api.post(`/v1/campaigns/${id}/launch`);
    await eventually(
      async () =>
        batchCalls().filter((c) => c.token === 'account-token-one').length >= 2 ? true : undefined,
      { timeoutMs: 20_000 },
    );
    fake.revokeToken('account-token-one');

    await untilStatus(api, id, 'paused', 20_000);
    const paused = (await api.get(`/v1/campaigns/${id}`)).body;
    expect(paused.pausedReason).toBe('email_token_invalid');
    expect(invitationsOf(fake, id)).toHaveLength(200);
    const alerts = await eventually(async () => (toOwner().length ? toOwner() : undefined));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].Subject).toBe('Action needed: your email token was rejected — "Delivery" is paused');
    expect(alerts[0].TextBody).toContain('PUT /v1/account/email-provider');
    // Paused on the token with nothing due: no retry or second alert can still come.
    expect(await untilCampaignQuiet(stack.temporal, id)).toMatchObject({ phase: 'paused' });
    expect(toOwner()).toHaveLength(1);

    fake.addToken('account-token-two');
    await api.request('PUT', '/v1/account/email-provider', {
      postmarkServerToken: 'account-token-two',
      fromEmail: 'events@acme.test',
    });
    expect((await api.post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await untilStatus(api, id, 'active', 30_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect(counts.size).toBe(400);
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(
      invitationsOf(fake, id).every(
        (m) => m.From === '"Delivery" <events@acme.test>' || m.From.endsWith('<events@acme.test>'),
      ),
    ).toBe(true);
  });

  it('when paused in the middle, then nothing is sent while paused, and resume completes without resending anything', async () => {
    const { id, emails } = await draftWithRecipients(api, 300, { batch: { size: 100, gapMinutes: 2 / 60 } });
    await api.post(`/v1/campaigns/${id}/launch`);
    await eventually(async () => (invitationsOf(fake, id).length >= 100 ? true : undefined));
    expect((await api.post(`/v1/campaigns/${id}/pause`)).body.status).toBe('paused');
    const atPause = invitationsOf(fake, id).length;
    // The batch under way at the pause has finished and no batch timer is left armed: paused
    // for good, until resumed.
    expect(await untilCampaignQuiet(stack.temporal, id)).toMatchObject({ phase: 'paused' });
    expect(invitationsOf(fake, id)).toHaveLength(atPause);
    expect(atPause).toBeLessThan(300);

    await api.post(`/v1/campaigns/${id}/resume`);
    await untilStatus(api, id, 'active', 30_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('when the provider answers 500 to a whole batch, then the campaign pauses (failure_rate), nobody is marked sent, and retry-failed finishes the list exactly once', async () => {
    const { id, emails } = await draftWithRecipients(api, 200, { batch: { size: 100, gapMinutes: 0 } });
    // the first call and both of its in-activity retries
    fake.failNext(3, 500, { campaignId: id });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'paused', 20_000);
    const paused = (await api.get(`/v1/campaigns/${id}`)).body;
    expect(paused.pausedReason).toBe('failure_rate');
    const invites = await allInvites(api, id);
    expect(invites.filter((i) => i.sentAt)).toHaveLength(0);
    expect(invites.filter((i) => i.delivery.status === 'failed')).toHaveLength(100);
    expect(invites.find((i) => i.delivery.status === 'failed')!.delivery.error).toMatch(/HTTP 500/);
    expect(invitationsOf(fake, id)).toHaveLength(0);
    const alert = await eventually(async () =>
      toOwner().find((m) => m.Metadata.campaignId === id && m.Subject.includes('too many delivery failures')),
    );
    expect(alert.TextBody).toContain('retry-failed');

    const retried = await api.post(`/v1/campaigns/${id}/retry-failed`);
    expect(retried.status).toBe(200);
    await untilStatus(api, id, 'active', 30_000);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect((await allInvites(api, id)).every((i) => i.delivery.status === 'sent')).toBe(true);
  });

  it('when an address is refused (406 inactive recipient), then that invite records the failure, the rest go on, and the summary names it', async () => {
    const { id, emails } = await draftWithRecipients(api, 20, { batch: { size: null, gapMinutes: 0 } });
    fake.rejectRecipient(emails[3], 406);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active', 20_000);
    const failed = (await allInvites(api, id)).filter((i) => i.delivery.status === 'failed');
    expect(failed.map((i) => i.email)).toEqual([emails[3]]);
    expect(failed[0].delivery.error).toBeTruthy();
    expect(invitationsOf(fake, id)).toHaveLength(19);
    const summary = await eventually(async () =>
      toOwner().find((m) => m.Metadata.campaignId === id && m.Subject.includes('finished sending')),
    );
    expect(summary.Subject).toBe('Campaign "Delivery" finished sending: 19 sent, 1 failed');
    expect(summary.TextBody).toContain(emails[3]);
  });

  it('when retry-failed is asked after an address was refused as bad (406), then that invite stays failed and is not tried again', async () => {
    const { id, emails } = await draftWithRecipients(api, 5, { batch: { size: null, gapMinutes: 0 } });
    fake.rejectRecipient(emails[1], 406);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active', 20_000);
    expect((await api.post(`/v1/campaigns/${id}/retry-failed`)).status).toBe(200);
    // A later invite goes out after anything the retry released (sends go in id order).
    const late = `late@${emails[0].split('@')[1]}`;
    await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients: [{ email: late }] });
    await eventually(async () => invitationsOf(fake, id).find((m) => m.To === late));

    const refused = (await allInvites(api, id)).find((i) => i.email === emails[1])!;
    expect(refused.delivery.status).toBe('failed');
    const tries: { attempts: number }[] = await stack.db.dataSource.query(
      "SELECT attempts FROM notifications WHERE inviteId = ? AND kind = 'invitation'",
      [refused.id],
    );
    expect(tries.map((t) => Number(t.attempts))).toEqual([1]);
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails.filter((e) => e !== emails[1]), late].sort());
  });

  it('when support resends or resets an invite, then resend emails it again and reset voids the old link and emails a new one', async () => {
    const { id, emails } = await draftWithRecipients(api, 2, {});
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [first, second] = (await allInvites(api, id)).sort((a, b) => a.email!.localeCompare(b.email!));

    const resent = await support.post(`/v1/invites/${first.id}/send`);
    expect(resent.status).toBe(200);
    expect(resent.body.id).toBe(first.id);
    expect(Date.parse(resent.body.sentAt!)).toBeGreaterThan(Date.parse(first.sentAt!));
    expect(perRecipient(invitationsOf(fake, id)).get(first.email!)).toBe(2);

    const reset = await support.post(`/v1/invites/${second.id}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body.id).not.toBe(second.id);
    expect(reset.body.url).not.toBe(second.url);
    expect(reset.body).toMatchObject({
      email: second.email,
      status: 'unused',
      journey: 'sent',
      linkState: 'ready',
    });
    const toSecond = invitationsOf(fake, id).filter((m) => m.To === second.email);
    expect(toSecond).toHaveLength(2);
    expect(toSecond[1].HtmlBody).toContain(reset.body.url);
    const old = await fetch(`${stack.baseUrl}${new URL(second.url).pathname}`);
    expect(old.status).toBe(410);
    const table = await allInvites(api, id);
    expect(table.map((i) => i.id).sort()).toEqual([first.id, reset.body.id].sort());
    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['invite_resent', 'invite_reset', 'invite_reset_sent']));
    expect((await support.post(`/v1/invites/${second.id}/send`)).status).toBe(400);
    void emails;
  });

  it('when Postmark posts webhooks, then the journey moves, a hard bounce suppresses the address, and wrong credentials get 401', async () => {
    const { id } = await draftWithRecipients(api, 2, {});
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [a, b] = await allInvites(api, id);
    const hook = (body: unknown, auth = 'hooks:hook-secret') =>
      checkedFetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
        },
        body: JSON.stringify(body),
      });
    // Postmark names the message by the MessageID it gave us and the address it went to.
    const ofA = {
      MessageID: invitationsOf(fake, id).find((m) => m.To === a.email)!.MessageID,
      Recipient: a.email,
    };
    expect((await hook({ RecordType: 'Delivery', ...ofA }, 'hooks:wrong')).status).toBe(401);
    expect((await hook({ RecordType: 'Delivery', ...ofA })).status).toBe(200);
    expect((await hook({ RecordType: 'Open', ...ofA })).status).toBe(200);
    expect((await hook({ RecordType: 'Delivery', ...ofA })).status).toBe(200); // late: never moves back
    expect((await api.get(`/v1/campaigns/${id}/invites`)).body.data.find((i) => i.id === a.id)!.journey).toBe(
      'opened',
    );

    const messageId = invitationsOf(fake, id).find((m) => m.To === b.email)!.MessageID;
    expect(
      (
        await hook({
          RecordType: 'Bounce',
          Type: 'HardBounce',
          MessageID: messageId,
          Email: b.email,
          Description: 'mailbox does not exist',
        })
      ).status,
    ).toBe(200);
    const bounced = (await api.get(`/v1/campaigns/${id}/invites`)).body.data.find((i) => i.id === b.id)!;
    expect(bounced.delivery).toEqual({ status: 'bounced', error: 'hard bounce: mailbox does not exist' });

    // The address is suppressed for the account: another campaign does not email it.
    const other = await draft(api, { name: 'Later' });
    await api.post(`/v1/campaigns/${other}/invites/bulk`, { recipients: [{ email: b.email! }] });
    await api.post(`/v1/campaigns/${other}/launch`);
    await untilStatus(api, other, 'active');
    expect(invitationsOf(fake, other)).toHaveLength(0);
    expect((await allInvites(api, other))[0].delivery.status).toBe('suppressed');
  });

  it('when the event changes on a launched campaign, then everyone invited gets one "update calendar invites" email: same UID, higher SEQUENCE', async () => {
    const event = {
      title: 'Tasting night',
      startsAt: '2030-06-01T18:00:00Z',
      durationMinutes: 90,
      location: 'The Cellar',
    };
    const { id, emails } = await draftWithRecipients(api, 3, { event, batch: { size: 2, gapMinutes: 0 } });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const moved = { ...event, startsAt: '2030-06-02T19:00:00Z' };
    const patched = await api.patch(`/v1/campaigns/${id}`, { event: moved });
    expect(patched.status).toBe(200);
    expect(patched.body.event).toEqual(moved);

    const updatesOf = () =>
      fake.sent.filter((m) => m.Metadata.campaignId === id && m.Metadata.kind === 'calendar_update');
    const updates = await eventually(async () => (updatesOf().length >= 3 ? updatesOf() : undefined));
    expect([...perRecipient(updates).keys()].sort()).toEqual([...emails].sort());
    const [original] = invitationsOf(fake, id);
    const uidOf = (m: { Attachments: { Content: string }[] }) =>
      /UID:(\S+)/.exec(Buffer.from(m.Attachments[0].Content, 'base64').toString('utf8'))![1];
    for (const m of updates) {
      const ics = Buffer.from(m.Attachments[0].Content, 'base64').toString('utf8');
      expect(m.Subject).toBe('Updated: Tasting night');
      expect(uidOf(m)).toBe(uidOf(original));
      expect(ics).toContain('SEQUENCE:1');
      expect(ics).toContain('DTSTART:20300602T190000Z');
    }
    await untilCampaignQuiet(stack.temporal, id); // the pass is through: no chunk is left to go
    expect(updatesOf()).toHaveLength(3);
    expect((await api.get(`/v1/campaigns/${id}/audit`)).body.data.map((e) => e.action)).toContain(
      'event_changed',
    );
    // As after the invitations, the owner hears once the pass is through.
    const summary = await eventually(async () =>
      toOwner().find((m) => m.Metadata.campaignId === id && m.Subject.includes('calendar invites')),
    );
    expect(summary.Subject).toBe('Campaign "Delivery" finished updating calendar invites: 3 sent, 0 failed');
    expect(summary.TextBody).toContain('to version 1 of its event');
    await recordHistory(stack.temporal, id, 'calendar-update-pass');
  });

  it('when the event changes while invitations are still going out, then each recipient gets the new version exactly once: an update if invited before, the invitation itself if after', async () => {
    const event = {
      title: 'Harvest supper',
      startsAt: '2030-09-01T18:00:00Z',
      durationMinutes: 120,
      location: 'The Barn',
    };
    const { id, emails } = await draftWithRecipients(api, 6, {
      event,
      batch: { size: 2, gapMinutes: 3 / 60 },
    });
    await api.post(`/v1/campaigns/${id}/launch`);
    await eventually(async () => (invitationsOf(fake, id).length >= 2 ? true : undefined));
    const moved = { ...event, startsAt: '2030-09-02T19:00:00Z' };
    expect((await api.patch(`/v1/campaigns/${id}`, { event: moved })).status).toBe(200);
    await untilStatus(api, id, 'active', 30_000);
    await untilCampaignQuiet(stack.temporal, id); // nothing left that could send a late, wrong update

    const ics = (m: { Attachments: { Content: string }[] }) =>
      Buffer.from(m.Attachments[0].Content, 'base64').toString('utf8');
    const invitations = invitationsOf(fake, id);
    const updates = fake.sent.filter(
      (m) => m.Metadata.campaignId === id && m.Metadata.kind === 'calendar_update',
    );
    const before = invitations.filter((m) => ics(m).includes('SEQUENCE:0')).map((m) => m.To);
    const after = invitations.filter((m) => ics(m).includes('SEQUENCE:1')).map((m) => m.To);
    expect(invitations).toHaveLength(6);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect([...before, ...after].sort()).toEqual([...emails].sort());
    expect(updates.map((m) => m.To).sort()).toEqual([...before].sort());
    for (const m of updates) expect(ics(m)).toContain('SEQUENCE:1');
  });

  it('when the campaign carries an event, then each invitation attaches an iCalendar invite for it', async () => {
    const event = {
      title: 'Tasting night',
      startsAt: '2030-06-01T18:00:00Z',
      durationMinutes: 90,
      location: 'The Cellar',
    };
    const { id } = await draftWithRecipients(api, 1, { event });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [message] = invitationsOf(fake, id);
    expect(message.Attachments).toHaveLength(1);
    expect(message.Attachments[0]).toMatchObject({ Name: 'invite.ics' });
    const ics = Buffer.from(message.Attachments[0].Content, 'base64').toString('utf8');
    expect(ics).toContain(`UID:${id}@herald`);
    expect(ics).toContain('SEQUENCE:0');
    expect(ics).toContain('DTSTART:20300601T180000Z');
    expect(ics).toContain('DTEND:20300601T193000Z');
    expect(ics).toContain('SUMMARY:Tasting night');
  });
});
