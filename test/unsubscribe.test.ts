import { draft, inSeconds, untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients } from './support/delivery';
import { checkedFetch } from './support/openapi-check';
import type { SentMessage } from './support/postmark-server';
import { eventually, useAccount, usePostmarkStack } from './support/stack';
import { newId } from '../db/ids';
import { AuditEntry } from '../entities/AuditEntry';
import { Suppression } from '../entities/Suppression';
import { WebhookEvent } from '../entities/WebhookEvent';
import { scrub } from '../ops/log';
import { inviteOfUnsubscribeToken, unsubscribeToken } from '../recipients/unsubscribe';
import { SecretBox } from '../security/secrets';

const DAY_S = 86_400;

describe('One-click unsubscribe (RFC 8058), list headers and message streams', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000, { support: true });
  const { api, support } = account;

  const header = (m: SentMessage, name: string) => m.Headers.find((h) => h.Name === name)?.Value;
  /** The unsubscribe URL a message carries, as a path on the test's own server. */
  const unsubscribePath = (m: SentMessage) => {
    const value = header(m, 'List-Unsubscribe');
    const url = /^<([^>]+)>$/.exec(value ?? '')?.[1];
    if (!url) throw new Error(`no List-Unsubscribe on ${m.Metadata.kind}: ${value}`);
    return new URL(url).pathname;
  };
  const ofCampaign = (id: string) => fake.sent.filter((m) => m.Metadata.campaignId === id);
  const to = (email: string, id: string) => ofCampaign(id).filter((m) => m.To === email);
  const oneClick = (path: string, body = 'List-Unsubscribe=One-Click') =>
    checkedFetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  const suppressionsOf = async (email: string) =>
    (await api.get(`/v1/suppressions?email=${encodeURIComponent(email)}`)).body.data as {
      id: string;
      reason: string;
      source: string | null;
    }[];

  /** A live campaign whose one recipient got their invitation. */
  async function invited(extra: Record<string, unknown> = {}) {
    const { id, emails } = await draftWithRecipients(api, 1, extra);
    await api.post(`/v1/campaigns/${id}/launch`);
    const [message] = await eventually(async () => {
      const sent = to(emails[0], id);
      return sent.length ? sent : undefined;
    });
    const [invite] = await allInvites(api, id);
    return { id, email: emails[0], invite, message };
  }

  it('when every kind of campaign email goes out (invitation, reminder, resend, reset, calendar update, cancellation), then Postmark receives each with List-Unsubscribe, One-Click, one List-Id, a visible link, on the broadcast stream; the owner notices stay on outbound', async () => {
    const event = { title: 'Launch party', startsAt: '2031-05-01T18:00:00Z', durationMinutes: 60 };
    const id = await draft(api, { name: 'Spring "launch"', costPerInviteCents: 1, event });
    const email = `all-kinds-${Date.now()}@example.com`;
    const created = await api.post(`/v1/campaigns/${id}/invites`, {
      email,
      expiresIn: inSeconds(60),
      reminderDaysBefore: 54 / DAY_S, // due ~6 s from now, after the invitation
    });
    expect(created.status).toBe(201);
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    const kindsSent = () => new Set(to(email, id).map((m) => m.Metadata.kind));
    await eventually(async () => (kindsSent().has('reminder') ? true : undefined), { timeoutMs: 20_000 });
    expect(
      (await api.patch(`/v1/campaigns/${id}`, { event: { ...event, durationMinutes: 90 } })).status,
    ).toBe(200);
    await eventually(async () => (kindsSent().has('calendar_update') ? true : undefined));
    expect((await support.post(`/v1/invites/${created.body.id}/send`)).status).toBe(200);
    expect((await support.post(`/v1/invites/${created.body.id}/reset`)).status).toBe(200);
    await eventually(async () => (kindsSent().has('calendar_cancel') ? true : undefined));
    expect((await api.post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const all = await eventually(async () =>
      to(email, id).filter((m) => m.Metadata.kind === 'calendar_cancel').length >= 2
        ? to(email, id)
        : undefined,
    );

    const kinds = all.map((m) => m.Metadata.kind);
    for (const kind of ['invitation', 'reminder', 'calendar_update', 'resend', 'calendar_cancel'])
      expect(kinds).toContain(kind);
    expect(kinds.filter((k) => k === 'invitation')).toHaveLength(2); // the first, and the reset's
    const invites = await allInvites(api, id);
    const listIds = new Set<string>();
    for (const m of all) {
      expect(m.MessageStream).toBe('broadcast');
      expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(header(m, 'List-Unsubscribe')).toMatch(/^<https?:\/\/[^>]+\/u\/[^>]+>$/);
      const url = /^<([^>]+)>$/.exec(header(m, 'List-Unsubscribe')!)![1];
      expect(m.HtmlBody).toContain(`href="${url}"`);
      expect(m.TextBody).toContain(url);
      // Its own token: never an invite's link token.
      for (const i of invites) expect(url).not.toContain(new URL(i.url).pathname.split('/').pop()!);
      listIds.add(header(m, 'List-Id')!);
    }
    expect([...listIds]).toEqual([`"Spring launch" <${id}.localhost>`]);

    const notices = await eventually(async () => {
      const owner = fake.sent.filter((m) => m.To === account.ownerEmail && m.Metadata.campaignId === id);
      return owner.length ? owner : undefined;
    });
    for (const m of notices) {
      expect(m.MessageStream).toBe('outbound');
      expect(header(m, 'List-Unsubscribe')).toBeUndefined();
    }
  }, 60_000);

  it('when the account names its broadcast stream, then campaign mail goes on it', async () => {
    const account = await stack.newAccount(1_000_000);
    const own = account.as(account.adminKey);
    const saved = await own.put('/v1/account/email-provider', {
      postmarkServerToken: 'stream-account-token',
      fromEmail: 'news@acme.test',
      messageStream: 'acme-bulk',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.messageStream).toBe('acme-bulk');
    fake.addToken('stream-account-token');
    const { id, emails } = await draftWithRecipients(own, 1, {});
    await own.post(`/v1/campaigns/${id}/launch`);
    const [m] = await eventually(async () => (to(emails[0], id).length ? to(emails[0], id) : undefined));
    expect(m.MessageStream).toBe('acme-bulk');
    expect(
      (
        await own.put('/v1/account/email-provider', {
          postmarkServerToken: 'x'.repeat(10),
          fromEmail: 'a@b.test',
          messageStream: 'Bad Stream',
        })
      ).status,
    ).toBe(400);
  });

  it('when the link is fetched (GET, HEAD), then nothing changes; a POST without cookies unsubscribes at once, audited without the address, with a webhook event, and the next send to that address is skipped', async () => {
    const { id, email, invite, message } = await invited();
    const path = unsubscribePath(message);

    const page = await checkedFetch(`${stack.baseUrl}${path}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="${path}">`);
    expect(html).not.toContain(email);
    expect(html).not.toMatch(/<script/i);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`${stack.baseUrl}${path}`, { method: 'HEAD' })).status).toBe(200);
    expect(await suppressionsOf(email)).toEqual([]);

    // As a mail client posts it: no cookie, no key, just the one field.
    const res = await oneClick(path);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    expect(await suppressionsOf(email)).toMatchObject([{ reason: 'unsubscribed', source: 'one-click' }]);
    expect((await oneClick(path)).status).toBe(200); // again: nothing new

    // The invitation link still works: unsubscribing neither uses nor voids it.
    expect((await fetch(invite.url.replace(/^https?:\/\/[^/]+/, stack.baseUrl))).status).toBe(200);

    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data as { action: string }[];
    const entries = audit.filter((e) => e.action === 'recipient_unsubscribed');
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain(email);
    const events = await stack.db.manager.findBy(WebhookEvent, {
      accountId: account.accountId,
      type: 'recipient.unsubscribed',
    });
    const mine = events.filter((e) => e.campaignId === id);
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0].payload).data).toMatchObject({
      inviteId: invite.id,
      campaignId: id,
      source: 'one-click',
    });
    expect(mine[0].payload).not.toContain(email);

    // The next send to the address: support's resend is refused, a new campaign skips it.
    const before = fake.sent.length;
    expect((await support.post(`/v1/invites/${invite.id}/send`)).status).toBe(409);
    const next = await api.post('/v1/campaigns', { name: 'Next', costPerInviteCents: 1 });
    await api.post(`/v1/campaigns/${next.body.id}/invites/bulk`, {
      recipients: [{ email }, { email: `other-${Date.now()}@example.com` }],
    });
    await api.post(`/v1/campaigns/${next.body.id}/launch`);
    const skipped = await eventually(async () => {
      const rows = await allInvites(api, next.body.id);
      const mineNow = rows.find((r) => r.email === email)!;
      return mineNow.delivery.status === 'suppressed' && rows.some((r) => r.sentAt) ? mineNow : undefined;
    });
    expect(skipped.delivery.error).toBe('address suppressed after the recipient unsubscribed');
    expect(fake.sent.slice(before).filter((m) => m.To === email)).toEqual([]);
  });

  it("when the page's button is used, then the source is the page; a body without One-Click, a forged token or the invite's own token unsubscribes nobody", async () => {
    const { email, invite, message } = await invited();
    const path = unsubscribePath(message);
    expect((await oneClick(path, 'unsubscribe=yes')).status).toBe(400);
    const forged = path.replace(/[0-9a-f](?=$)/, (c) => (c === '0' ? '1' : '0'));
    expect((await oneClick(forged)).status).toBe(404);
    const inviteToken = new URL(invite.url).pathname.split('/').pop()!;
    expect((await oneClick(`/u/${inviteToken}`)).status).toBe(404);
    expect((await checkedFetch(`${stack.baseUrl}/u/${inviteToken}`)).status).toBe(404);
    expect(await suppressionsOf(email)).toEqual([]);

    // What the page's form posts (its hidden fields).
    expect((await oneClick(path, 'List-Unsubscribe=One-Click&via=page')).status).toBe(200);
    expect(await suppressionsOf(email)).toMatchObject([{ reason: 'unsubscribed', source: 'page' }]);
  });

  it('when the one-click POST comes as multipart/form-data (RFC 8058 allows it), then it unsubscribes too', async () => {
    const { email, message } = await invited();
    const form = new FormData();
    form.append('List-Unsubscribe', 'One-Click');
    const res = await checkedFetch(`${stack.baseUrl}${unsubscribePath(message)}`, {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(200);
    expect(await suppressionsOf(email)).toMatchObject([{ reason: 'unsubscribed', source: 'one-click' }]);
  });

  it('when an admin lifts an unsubscribe, then the address is mailed again and the lift is audited; a support key may not, and a hard bounce stays', async () => {
    const { id: campaignId, email, invite, message } = await invited();
    expect((await oneClick(unsubscribePath(message))).status).toBe(200);
    const [row] = await suppressionsOf(email);
    expect((await support.request('DELETE', `/v1/suppressions/${row.id}`)).status).toBe(403);
    const lifted = await api.request('DELETE', `/v1/suppressions/${row.id}`);
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ id: row.id, reason: 'unsubscribed', source: 'one-click' });
    expect(await suppressionsOf(email)).toEqual([]);
    expect((await api.request('DELETE', `/v1/suppressions/${row.id}`)).status).toBe(404);
    // An entry about the account (no campaign): read where it is kept.
    const lift = await stack.db.manager.findBy(AuditEntry, {
      accountId: account.accountId,
      action: 'suppression_lifted',
    });
    expect(lift.map((e) => JSON.parse(e.details!))).toContainEqual({
      suppressionId: row.id,
      source: 'one-click',
    });
    expect(JSON.stringify(lift)).not.toContain(email);

    const before = to(email, campaignId).length;
    expect((await support.post(`/v1/invites/${invite.id}/send`)).status).toBe(200);
    await eventually(async () => (to(email, campaignId).length > before ? true : undefined));

    const bounced = `bounced-${Date.now()}@example.com`;
    const suppressionId = newId();
    await stack.db.manager.insert(Suppression, {
      id: suppressionId,
      accountId: account.accountId,
      email: bounced,
      reason: 'hard_bounce',
      source: null,
      createdAt: new Date(),
    });
    expect((await api.request('DELETE', `/v1/suppressions/${suppressionId}`)).status).toBe(409);
    expect(await suppressionsOf(bounced)).toMatchObject([{ id: suppressionId, reason: 'hard_bounce' }]);
  });

  it('when Postmark reports an unsubscribe (SubscriptionChange), then it is recorded as from the provider, with its event and audit entry', async () => {
    const { id, email, message } = await invited();
    const res = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('hooks:hook-secret').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        RecordType: 'SubscriptionChange',
        MessageID: message.MessageID,
        Recipient: message.To,
        SuppressSending: true,
        SuppressionReason: 'ManualSuppression',
        MessageStream: 'broadcast',
      }),
    });
    expect(await res.json()).toEqual({ handled: true });
    expect(await suppressionsOf(email)).toMatchObject([{ reason: 'unsubscribed', source: 'provider' }]);
    const events = await stack.db.manager.findBy(WebhookEvent, {
      campaignId: id,
      type: 'recipient.unsubscribed',
    });
    expect(events).toHaveLength(1);
    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data as {
      action: string;
      reason: string;
    }[];
    expect(audit.filter((e) => e.action === 'recipient_unsubscribed')).toMatchObject([
      { reason: 'provider' },
    ]);
  });
});

describe('The unsubscribe token', () => {
  const secrets = SecretBox.fromConfig({ secretKey: '22'.repeat(32), dataDir: '/nonexistent' });
  const other = SecretBox.fromConfig({ secretKey: '33'.repeat(32), dataDir: '/nonexistent' });
  const inviteId = newId();

  it('when it is checked, then only the exact token made under the same key stands for its invite', () => {
    const token = unsubscribeToken(secrets, inviteId);
    expect(inviteOfUnsubscribeToken(secrets, token)).toBe(inviteId);
    expect(inviteOfUnsubscribeToken(other, token)).toBeNull();
    expect(inviteOfUnsubscribeToken(secrets, token.toUpperCase())).toBeNull();
    expect(inviteOfUnsubscribeToken(secrets, `${token}0`)).toBeNull();
    expect(inviteOfUnsubscribeToken(secrets, token.slice(0, -1))).toBeNull();
    expect(inviteOfUnsubscribeToken(secrets, `${newId()}.${token.split('.')[1]}`)).toBeNull();
  });

  it('when a log line holds an unsubscribe URL, then the token is scrubbed from it', () => {
    const token = unsubscribeToken(secrets, inviteId);
    expect(scrub(`POST https://herald.example/u/${token} failed`)).toBe(
      'POST https://herald.example/u/:token failed',
    );
  });
});
