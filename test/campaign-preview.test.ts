import { Account } from '../entities/Account';
import { Invite } from '../entities/Invite';
import { Notification } from '../entities/Notification';
import { SendGrant } from '../entities/SendGrant';
import { Suppression } from '../entities/Suppression';
import { allInvites, draftWithRecipients } from './support/delivery';
import { checkedFetch } from './support/openapi-check';
import type { SentMessage } from './support/postmark-server';
import { type ApiClient, usePostmarkStack } from './support/stack';

describe('See it before they do: preview, test send, and the sender checked at launch', () => {
  const { stack, fake } = usePostmarkStack();

  /** A fresh account (its own limits, sender and counters), its admin and support clients. */
  async function account() {
    const made = await stack.newAccount(1_000_000);
    return {
      ...made,
      api: made.as(made.adminKey),
      support: made.as(await stack.newKey(made.accountId, 'support')),
    };
  }

  /** Everything a send could change: the campaign's counters and money, its invites, its emails. */
  async function state(api: ApiClient, id: string) {
    const campaign = (await api.get(`/v1/campaigns/${id}`)).body;
    const account = (await api.get('/v1/account')).body;
    return {
      status: campaign.status,
      progress: campaign.progress,
      reservedCents: campaign.reservedCents,
      balanceCents: account.balanceCents,
      accountReservedCents: account.reservedCents,
      invites: (await allInvites(api, id)).map((i) => ({
        id: i.id,
        url: i.url,
        status: i.status,
        journey: i.journey,
        sentAt: i.sentAt,
        delivery: i.delivery,
      })),
      notifications: await stack.db.manager.countBy(Notification, { campaignId: id }),
    };
  }
  const auditOf = async (api: ApiClient, id: string) =>
    (await api.get(`/v1/campaigns/${id}/audit?limit=500`)).body.data;
  const header = (m: SentMessage, name: string) => m.Headers.find((h) => h.Name === name)?.Value;
  const ofCampaign = (id: string) => fake.sent.filter((m) => m.Metadata.campaignId === id);

  it('when a draft is previewed for a sample recipient, then it is the invitation the pipeline renders (subject, HTML, text, list headers) with links to a preview page, and nothing changed', async () => {
    const { api, support } = await account();
    const { id } = await draftWithRecipients(api, 2, {
      name: 'Spring launch',
      email: { subject: 'Join us in spring', fromName: 'Acme Events' },
    });
    const before = await state(api, id);
    const audit = await auditOf(api, id);

    const preview = await support.get(`/v1/campaigns/${id}/preview`);

    expect(preview.status).toBe(200);
    const base = stack.config.publicBaseUrl;
    expect(preview.body).toMatchObject({
      inviteId: null,
      to: 'recipient@example.com',
      subject: 'Join us in spring',
      messageStream: 'broadcast',
      headers: {
        'List-Unsubscribe': `<${base}/p/preview/unsubscribe>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    expect(preview.body.from).toContain('Acme Events');
    expect(preview.body.headers['List-Id']).toContain(id);
    expect(preview.body.html).toContain(`${base}/p/preview`);
    expect(preview.body.html).toContain('Hi Sample Recipient,');
    expect(preview.body.text).toContain(`${base}/p/preview`);
    expect(preview.body.html).not.toMatch(/\/i\//);
    expect(preview.body.text).not.toMatch(/\/u\//);
    expect(await state(api, id)).toEqual(before);
    expect(await auditOf(api, id)).toEqual(audit);
    expect(ofCampaign(id)).toEqual([]);

    const page = await checkedFetch(`${stack.baseUrl}/p/preview`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('This is a preview');
  });

  it("when one invite is previewed, then it is that recipient's own email with their own link; an invite of another campaign or account is 404", async () => {
    const { api } = await account();
    const { id, emails } = await draftWithRecipients(api, 1, {});
    const [invite] = await allInvites(api, id);
    const before = await state(api, id);

    const preview = await api.get(`/v1/campaigns/${id}/preview?inviteId=${invite.id}`);

    expect(preview.status).toBe(200);
    expect(preview.body.inviteId).toBe(invite.id);
    expect(preview.body.to).toBe(emails[0]);
    expect(preview.body.html).toContain(invite.url);
    expect(preview.body.headers['List-Unsubscribe']).toMatch(/\/u\//);
    expect(await state(api, id)).toEqual(before);

    const { id: otherCampaign } = await draftWithRecipients(api, 1, {});
    expect((await api.get(`/v1/campaigns/${otherCampaign}/preview?inviteId=${invite.id}`)).status).toBe(404);
    const stranger = await account();
    expect((await stranger.api.get(`/v1/campaigns/${id}/preview`)).status).toBe(404);
    expect((await stranger.api.get(`/v1/campaigns/${id}/preview?inviteId=${invite.id}`)).status).toBe(404);

    // An erased recipient's invite has no email left to show.
    await stack.db.transaction((em) =>
      em.update(Invite, { id: invite.id }, { voidedAt: new Date(), email: null, name: null }),
    );
    const erased = await api.get(`/v1/campaigns/${id}/preview?inviteId=${invite.id}`);
    expect(erased.status).toBe(410);
    expect(erased.body.code).toBe('invite_erased');
  });

  it('when an admin sends a test to two addresses, then Postmark receives the rendered invitation with "[Test] ", the same list headers with inert links, on the broadcast stream; no invite, counter or money changes, and it is audited', async () => {
    const { api } = await account();
    const { id } = await draftWithRecipients(api, 2, { email: { subject: 'Join us' } });
    const before = await state(api, id);
    const preview = (await api.get(`/v1/campaigns/${id}/preview`)).body;

    const sent = await api.post(`/v1/campaigns/${id}/test-send`, {
      to: ['Me@Example.com', 'colleague@example.com'],
    });

    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      subject: '[Test] Join us',
      results: [
        { email: 'me@example.com', sent: true, error: null },
        { email: 'colleague@example.com', sent: true, error: null },
      ],
    });
    const received = ofCampaign(id);
    expect(received.map((m) => m.To).sort()).toEqual(['colleague@example.com', 'me@example.com']);
    const base = stack.config.publicBaseUrl;
    for (const m of received) {
      expect(m.Subject).toBe('[Test] Join us');
      expect(m.MessageStream).toBe('broadcast');
      expect(m.HtmlBody).toContain(`${base}/p/test`);
      expect(m.TextBody).toContain(`${base}/p/test`);
      expect(m.HtmlBody).not.toMatch(/\/i\//);
      expect(header(m, 'List-Unsubscribe')).toBe(`<${base}/p/test/unsubscribe>`);
      expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(header(m, 'List-Id')).toBe(preview.headers['List-Id']);
      expect(m.Metadata.kind).toBe('test');
    }
    // The same body as the preview, but for its links and greeting.
    expect(received[0].TextBody!.replace(/\/p\/test/g, '/p/preview')).toBe(
      preview.text.replace('Hi Sample Recipient,', 'Hello,'),
    );
    expect(await state(api, id)).toEqual(before);
    const audit = await auditOf(api, id);
    expect(audit.at(-1)).toMatchObject({ action: 'test_sent', details: { sent: 2, notSent: 0 } });
    expect(JSON.stringify(audit)).not.toContain('colleague@example.com');

    // Its links are harmless: the page says it is a test, and the one-click post unsubscribes nobody.
    const page = await checkedFetch(`${stack.baseUrl}/p/test`);
    expect(await page.text()).toContain('This is a test');
    const oneClick = await checkedFetch(`${stack.baseUrl}/p/test/unsubscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('nothing was unsubscribed');
    expect(await stack.db.manager.countBy(Suppression, { email: 'me@example.com' })).toBe(0);
  });

  it('when a test send is retried with the same Idempotency-Key, then the first answer is replayed and one email went', async () => {
    const { api } = await account();
    const { id } = await draftWithRecipients(api, 1, {});
    const key = { 'Idempotency-Key': `test-send-${id}` };

    const first = await api.post(`/v1/campaigns/${id}/test-send`, { to: ['once@example.com'] }, key);
    const again = await api.post(`/v1/campaigns/${id}/test-send`, { to: ['once@example.com'] }, key);

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(ofCampaign(id).map((m) => m.To)).toEqual(['once@example.com']);
  });

  it("when the account's sending limit is reached, then a test send counts against it and is refused whole with 429 rate_limited, sending nothing", async () => {
    const { api } = await account();
    expect(
      (
        await api.put('/v1/account/sending-policy', {
          limits: [{ max: 2, windowSeconds: 3600 }],
          window: null,
        })
      ).status,
    ).toBe(200);
    const { id } = await draftWithRecipients(api, 1, {});

    expect((await api.post(`/v1/campaigns/${id}/test-send`, { to: ['one@example.com'] })).status).toBe(200);
    const over = await api.post(`/v1/campaigns/${id}/test-send`, {
      to: ['two@example.com', 'three@example.com'],
    });

    expect(over.status).toBe(429);
    expect(over.body.code).toBe('rate_limited');
    expect(over.body.detail).toContain('sending limit');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(ofCampaign(id).map((m) => m.To)).toEqual(['one@example.com']);
    // The one that went holds its slot: one more fits, exactly.
    expect((await api.post(`/v1/campaigns/${id}/test-send`, { to: ['two@example.com'] })).status).toBe(200);
    expect((await api.post(`/v1/campaigns/${id}/test-send`, { to: ['three@example.com'] })).status).toBe(429);
    const grants = await stack.db.manager.findBy(SendGrant, {
      accountId: (await api.get('/v1/me')).body.accountId,
    });
    expect(grants.reduce((n, g) => n + g.slots, 0)).toBe(2);
  });

  it('when support asks for a test send, or it names 6 addresses, or a bad one, then it is refused and nothing is sent', async () => {
    const { api, support } = await account();
    const { id } = await draftWithRecipients(api, 1, {});
    const six = Array.from({ length: 6 }, (_, k) => `p${k}@example.com`);

    const bySupport = await support.post(`/v1/campaigns/${id}/test-send`, { to: ['me@example.com'] });
    const tooMany = await api.post(`/v1/campaigns/${id}/test-send`, { to: six });
    const none = await api.post(`/v1/campaigns/${id}/test-send`, { to: [] });
    const typo = await api.post(`/v1/campaigns/${id}/test-send`, { to: ['me@example.com', 'you@gmail.con'] });

    expect(bySupport.status).toBe(403);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0].field).toBe('to');
    expect(none.status).toBe(400);
    expect(typo.status).toBe(400);
    expect(typo.body.errors).toEqual([{ field: 'to.1', message: 'domain typo: .con (did you mean .com?)' }]);
    expect(ofCampaign(id)).toEqual([]);
  });

  it('when the campaign has ended, then it offers neither action, and preview and test send are 409 invalid_state saying its links are dead', async () => {
    const { api } = await account();
    const { id } = await draftWithRecipients(api, 1, {});
    expect((await api.get(`/v1/campaigns/${id}`)).body.actions).toEqual(
      expect.arrayContaining(['preview', 'test_send']),
    );
    expect((await api.post(`/v1/campaigns/${id}/cancel`)).body.status).toBe('cancelled');

    const preview = await api.get(`/v1/campaigns/${id}/preview`);
    const test = await api.post(`/v1/campaigns/${id}/test-send`, { to: ['me@example.com'] });

    expect((await api.get(`/v1/campaigns/${id}`)).body.actions).not.toContain('preview');
    expect(preview.status).toBe(409);
    expect(preview.body.code).toBe('invalid_state');
    expect(preview.body.detail).toContain('every link of it is dead');
    expect(test.status).toBe(409);
    expect(ofCampaign(id)).toEqual([]);
  });

  it("when the account's token is refused by Postmark, then launch is 409 sender_not_ready saying what to fix, and the draft is unchanged with nothing reserved", async () => {
    const { api } = await account();
    expect(
      (
        await api.put('/v1/account/email-provider', {
          postmarkServerToken: 'a-token-postmark-never-issued',
          fromEmail: 'events@acme.test',
        })
      ).status,
    ).toBe(200);
    const { id } = await draftWithRecipients(api, 3, {});
    const before = await state(api, id);
    const audit = await auditOf(api, id);

    const launch = await api.post(`/v1/campaigns/${id}/launch`);

    expect(launch.status).toBe(409);
    expect(launch.body.code).toBe('sender_not_ready');
    expect(launch.body.detail).toContain("refused the account's server token");
    expect(launch.body.detail).toContain('PUT /v1/account/email-provider');
    expect(await state(api, id)).toEqual(before);
    expect(before).toMatchObject({ status: 'draft', reservedCents: 0, accountReservedCents: 0 });
    expect(await auditOf(api, id)).toEqual(audit);
    expect(fake.calls.some((c) => c.path === '/server' && c.token === 'a-token-postmark-never-issued')).toBe(
      true,
    );

    // The same refusal stops a test send before anything is sent.
    const test = await api.post(`/v1/campaigns/${id}/test-send`, { to: ['me@example.com'] });
    expect(test.status).toBe(409);
    expect(test.body.code).toBe('sender_not_ready');

    // Once the token works, the same launch goes through.
    fake.addToken('a-token-postmark-never-issued');
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
  });

  it('when the account has a token but no from address, then launch is 409 sender_not_ready naming the from address, and the draft is unchanged', async () => {
    const { api, accountId } = await account();
    fake.addToken('token-without-sender');
    await api.put('/v1/account/email-provider', {
      postmarkServerToken: 'token-without-sender',
      fromEmail: 'events@acme.test',
    });
    // A row from before the API took both together: a token, and no from address.
    await stack.db.transaction((em) => em.update(Account, { id: accountId }, { fromEmail: null }));
    const { id } = await draftWithRecipients(api, 1, {});
    const before = await state(api, id);

    const launch = await api.post(`/v1/campaigns/${id}/launch`);

    expect(launch.status).toBe(409);
    expect(launch.body.code).toBe('sender_not_ready');
    expect(launch.body.detail).toContain('no from address');
    expect(await state(api, id)).toEqual(before);
  });
});
