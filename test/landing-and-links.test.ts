import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { RateLimiter } from '../api/rate-limit';
import { landingRedirect, landingUrlProblem } from '../domain/landing';
import { AuditEntry } from '../entities/AuditEntry';
import { Invite } from '../entities/Invite';
import { WebhookEvent } from '../entities/WebhookEvent';
import { newInviteToken } from '../security/tokens';
import { draft, untilStatus } from './support/campaigns';
import { launchBrowser } from './support/browser';
import { eventually, type Stack, useAccount, usePostmarkStack, useStack } from './support/stack';

/** Wrong email answers a link takes before it says "wait" (the test's limit; production's is 5). */
const EMAIL_TRIES = 3;

/** The token of a link, from its URL or its path. */
const tokenOf = (link: string) => link.split('/').pop()!;

/** A recipient's request to their link, without following redirects: what the server answered. */
async function visit(
  stack: Stack,
  token: string,
  { method = 'GET', form, cookie }: { method?: string; form?: Record<string, string>; cookie?: string } = {},
) {
  const action = method === 'GET' ? '' : `/${form && 'email' in form ? 'email' : 'start'}`;
  const res = await fetch(`${stack.baseUrl}/i/${token}${action}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(cookie ? { cookie } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    setCookie: res.headers.get('set-cookie'),
    html: await res.text(),
  };
}

/** The journey's events for an invite, in order (its emails' events, e.g. invite.sent, are another story). */
async function eventsOf(stack: Stack, inviteId: string): Promise<string[]> {
  // Its own account's events only: other test files share the database, and their events
  // need not have this shape (insert-rows.test.ts writes bare '{}' payloads).
  const { accountId } = await stack.db.manager.findOneByOrFail(Invite, { id: inviteId });
  const rows = await stack.db.manager.find(WebhookEvent, {
    where: { accountId },
    order: { createdAt: 'ASC' },
  });
  return rows
    .filter((r) => JSON.parse(r.payload).data.inviteId === inviteId)
    .map((r) => r.type)
    .filter((type) => ['invite.viewed', 'invite.started', 'invite.completed'].includes(type));
}

describe('Landing URLs and the links API', () => {
  const stack = useStack({
    pageLimits: {
      requests: new RateLimiter(10_000, 1_000),
      misses: new RateLimiter(10_000, 1_000),
      emailAnswers: new RateLimiter(EMAIL_TRIES, 0.0001),
    },
  });
  const { api, support } = useAccount(stack, 1_000_000, { support: true });
  const other = useAccount(stack, 1_000_000).api;

  /** A launched campaign with one invite for `email` (link-only without), active. */
  async function liveInvite(body: Record<string, unknown> = {}, email?: string) {
    const id = await draft(api, { name: 'Spring Tasting', ...body });
    const invite = (await api.post(`/v1/campaigns/${id}/invites`, email ? { email, name: 'Ada' } : {})).body;
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    return { campaignId: id, invite, token: tokenOf(invite.url) };
  }

  describe('landingUrl', () => {
    it.each([
      ['http to a public host', 'http://shop.example.com/redeem', 'must start with https://'],
      ['another scheme', 'ftp://shop.example.com/', 'must start with https://'],
      ['not a URL', 'shop.example.com/redeem', 'expected an absolute URL'],
      ['a password in it', 'https://me:secret@shop.example.com/', 'user name or password'],
      // The URL parser drops CR, LF and tab where it meets them: what was stored would not be what is used.
      ['CR/LF in it', 'https://shop.example.com/re\r\ndeem', 'control character'],
      ['a tab in it', 'https://shop.example.com/\tredeem', 'control character'],
      ['a NUL in it', 'https://shop.example.com/redeem\u0000', 'control character'],
      ['a DEL in it', 'https://shop.example.com/\u007fredeem', 'control character'],
      ['a C1 control (NEL) in it', 'https://shop.example.com/\u0085redeem', 'control character'],
      ['a trailing newline', 'https://shop.example.com/redeem\n', 'control character'],
    ])(
      'when a campaign is created with %s, then 400 names landingUrl and nothing is created',
      async (_, url, message) => {
        const name = `Refused ${Math.random()}`;
        const res = await api.post('/v1/campaigns', { name, landingUrl: url });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.errors).toEqual([{ field: 'landingUrl', message: expect.stringContaining(message) }]);
        const all = (await api.get('/v1/campaigns?limit=500')).body.data;
        expect(all.some((c) => c.name === name)).toBe(false);
      },
    );

    it('when a campaign is created with an https landingUrl, then its view shows it; PATCH changes it, and a bad one changes nothing', async () => {
      const id = await draft(api, { landingUrl: 'https://shop.example.com/redeem', requireEmailMatch: true });
      expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
        landingUrl: 'https://shop.example.com/redeem',
        requireEmailMatch: true,
      });
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      const moved = await api.patch(`/v1/campaigns/${id}`, { landingUrl: 'https://shop.example.com/v2' });
      expect([moved.status, moved.body.landingUrl]).toEqual([200, 'https://shop.example.com/v2']);
      const refused = await api.patch(`/v1/campaigns/${id}`, {
        landingUrl: 'http://shop.example.com/',
        requireEmailMatch: false,
      });
      expect([refused.status, refused.body.errors[0].field]).toEqual([400, 'landingUrl']);
      expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({
        landingUrl: 'https://shop.example.com/v2',
        requireEmailMatch: true,
      });
      const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
      expect(audit.map((e) => e.reason)).toContain(
        'landingUrl: https://shop.example.com/redeem → https://shop.example.com/v2',
      );
      const off = await api.patch(`/v1/campaigns/${id}`, { landingUrl: null });
      expect([off.status, off.body.landingUrl]).toEqual([200, null]);
    });

    it('when a PATCH sends a landing URL with CR/LF, then 400 names landingUrl and the stored one is unchanged', async () => {
      const id = await draft(api, { landingUrl: 'https://shop.example.com/redeem' });
      const refused = await api.patch(`/v1/campaigns/${id}`, {
        landingUrl: 'https://shop.example.com/redeem\r\nSet-Cookie: x=1',
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { field: 'landingUrl', message: expect.stringContaining('control character') },
      ]);
      expect((await api.get(`/v1/campaigns/${id}`)).body.landingUrl).toBe('https://shop.example.com/redeem');
    });

    it('when a landing URL is written loosely (case, default port, dot segments, a space), then it is stored exactly as the redirect uses it', async () => {
      const { campaignId, token } = await liveInvite({
        landingUrl: ' HTTPS://Shop.EXAMPLE.com:443/a/../redeem?q=a b#top',
      });
      const stored = (await api.get(`/v1/campaigns/${campaignId}`)).body.landingUrl;
      expect(stored).toBe('https://shop.example.com/redeem?q=a%20b#top');
      expect((await visit(stack, token)).location).toBe(
        `https://shop.example.com/redeem?q=a%20b&herald_token=${token}#top`,
      );
      const moved = await api.patch(`/v1/campaigns/${campaignId}`, { landingUrl: 'https://ÉXAMPLE.com' });
      expect([moved.status, moved.body.landingUrl]).toEqual([200, 'https://xn--xample-9ua.com/']);
      expect((await visit(stack, token)).location).toBe(`https://xn--xample-9ua.com/?herald_token=${token}`);
      const audit = (await api.get(`/v1/campaigns/${campaignId}/audit`)).body.data;
      expect(audit.map((e) => e.reason)).toContain(
        'landingUrl: https://shop.example.com/redeem?q=a%20b#top → https://xn--xample-9ua.com/',
      );
    });

    it('when running in production, then http is refused even to localhost; outside it, http to loopback is allowed', () => {
      expect(landingUrlProblem('http://localhost:8080/x', { production: true })).toBe(
        'must start with https://',
      );
      expect(landingUrlProblem('http://127.0.0.1:8080/x', { production: false })).toBeNull();
      expect(landingUrlProblem('http://[::1]:8080/x', { production: false })).toBeNull();
      expect(landingUrlProblem('http://10.0.0.1/x', { production: false })).toMatch(/https/);
    });

    it('when the landing URL has a query and a fragment, then herald_token is appended and both are kept', () => {
      expect(landingRedirect('https://shop.example.com/redeem?src=mail&x=a%20b#top', 'tok_1')).toBe(
        'https://shop.example.com/redeem?src=mail&x=a%20b&herald_token=tok_1#top',
      );
      expect(landingRedirect('https://shop.example.com', 'tok_1')).toBe(
        'https://shop.example.com/?herald_token=tok_1',
      );
    });

    it('when a ready link is opened, then it records viewed (and its event) and answers 303 to the landing page with the token', async () => {
      const { campaignId, invite, token } = await liveInvite({
        landingUrl: 'https://shop.example.com/redeem?src=mail',
      });
      const res = await visit(stack, token);
      expect([res.status, res.location]).toEqual([
        303,
        `https://shop.example.com/redeem?src=mail&herald_token=${token}`,
      ]);
      const row = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data[0];
      expect(row.journey).toBe('viewed');
      expect(await eventsOf(stack, invite.id)).toEqual(['invite.viewed']);
      // Opened again: still redirected, and the fact is recorded once.
      expect((await visit(stack, token)).status).toBe(303);
      expect(await eventsOf(stack, invite.id)).toEqual(['invite.viewed']);
    });

    it('when the link is not ready, then Herald keeps its own pages: completed, not open yet, expired', async () => {
      const landingUrl = 'https://shop.example.com/redeem';
      const { token } = await liveInvite({ landingUrl });
      await api.post(`/v1/links/${token}/complete`, {});
      const done = await visit(stack, token);
      expect([done.status, done.location, done.html]).toEqual([
        200,
        null,
        expect.stringContaining('Already Completed'),
      ]);

      const later = await draft(api, { landingUrl, startAt: '2030-12-01T09:00:00Z' });
      const early = tokenOf((await api.post(`/v1/campaigns/${later}/invites`, {})).body.url);
      const notOpen = await visit(stack, early);
      expect([notOpen.status, notOpen.html]).toEqual([200, expect.stringContaining('Not open yet')]);

      const { campaignId, token: cancelled } = await liveInvite({ landingUrl });
      await api.post(`/v1/campaigns/${campaignId}/cancel`);
      await untilStatus(api, campaignId, 'cancelled');
      const expired = await visit(stack, cancelled);
      expect([expired.status, expired.html]).toEqual([410, expect.stringContaining('Link Expired')]);
    });
  });

  describe('the links API', () => {
    it('when the backend reads a link, then it gets the invite; another account and an unknown token get 404', async () => {
      const { campaignId, invite, token } = await liveInvite({}, `links-${Math.random()}@example.com`);
      const res = await api.get(`/v1/links/${token}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: invite.id,
        campaignId,
        name: 'Ada',
        email: invite.email,
        status: 'unused',
        linkState: 'ready',
        journey: expect.any(String),
        order: null,
        usedAt: null,
        expiresAt: null,
      });
      expect((await support.get(`/v1/links/${token}`)).status).toBe(200);
      for (const attempt of [
        other.get(`/v1/links/${token}`),
        other.post(`/v1/links/${token}/start`),
        other.post(`/v1/links/${token}/complete`, { order: 'X' }),
        api.get(`/v1/links/${newInviteToken()}`),
        // Compared exactly: a padded or re-cased token is another token.
        api.get(`/v1/links/${token}%20`),
        api.get(`/v1/links/${token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase()}`),
        // Outside the token's ASCII alphabet (MariaDB refused to compare them with the column: a
        // 500, found by the fuzzer): emoji, accents, an astral character.
        api.get(`/v1/links/${encodeURIComponent('😀')}`),
        api.post(`/v1/links/${encodeURIComponent(`${token.slice(0, 31)}é`)}/start`),
        api.post(`/v1/links/${encodeURIComponent('𒉒ꐗ𐍩')}/complete`, { order: 'X' }),
      ]) {
        const answer = await attempt;
        expect([answer.status, answer.body.code]).toEqual([404, 'not_found']);
      }
      expect((await api.get(`/v1/links/${token}`)).body.status).toBe('unused');
    });

    it('when the backend starts and completes with an order, then the invite is used with it, and completing twice is 409', async () => {
      const { campaignId, invite, token } = await liveInvite();
      expect((await support.post(`/v1/links/${token}/start`)).status).toBe(403);
      const started = await api.post(`/v1/links/${token}/start`);
      expect([started.status, started.body.journey, started.body.linkState]).toEqual([
        200,
        'started',
        'ready',
      ]);
      const tooLong = await api.post(`/v1/links/${token}/complete`, { order: 'x'.repeat(101) });
      expect([tooLong.status, tooLong.body.errors[0].field]).toEqual([400, 'order']);
      expect((await api.get(`/v1/links/${token}`)).body.status).toBe('unused');

      const done = await api.post(`/v1/links/${token}/complete`, { order: ' PO-77 ' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        status: 'used',
        linkState: 'completed',
        journey: 'completed',
        order: 'PO-77',
      });
      const twice = await api.post(`/v1/links/${token}/complete`, { order: 'PO-78' });
      expect([twice.status, twice.body.code, twice.body.currentStatus]).toEqual([
        409,
        'invalid_state',
        'completed',
      ]);
      expect((await api.post(`/v1/links/${token}/start`)).status).toBe(409);

      const row = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data[0];
      expect(row).toMatchObject({
        status: 'used',
        journey: 'completed',
        order: 'PO-77',
        linkState: 'completed',
      });
      expect(await eventsOf(stack, invite.id)).toEqual(['invite.started', 'invite.completed']);
    });

    it('when the link is not open yet, then start and complete are 409 and change nothing', async () => {
      const id = await draft(api, { startAt: '2030-12-01T09:00:00Z' });
      const token = tokenOf((await api.post(`/v1/campaigns/${id}/invites`, {})).body.url);
      for (const step of ['start', 'complete'] as const) {
        const res = await api.post(`/v1/links/${token}/${step}`);
        expect([res.status, res.body.currentStatus]).toEqual([409, 'not_open']);
      }
      expect((await api.get(`/v1/links/${token}`)).body).toMatchObject({
        status: 'unused',
        linkState: 'not_open',
      });
    });
  });

  describe('requireEmailMatch', () => {
    const address = () => `Guest.${Math.random().toString(36).slice(2)}@Example.com`;
    /** Everything a page could leak the address by: as stored, lower-cased, its local part. */
    const leaks = (html: string, email: string) =>
      [email, email.toLowerCase(), email.split('@')[0].toLowerCase()].some((s) =>
        html.toLowerCase().includes(s.toLowerCase()),
      );

    it('when the link is opened, then it asks for the address, never shows it, and records no view', async () => {
      const email = address();
      const { campaignId, token } = await liveInvite({ requireEmailMatch: true }, email);
      const res = await visit(stack, token);
      expect(res.status).toBe(200);
      expect(res.html).toContain('enter the email address it was sent to');
      expect(res.html).not.toContain('Hi Ada');
      expect(leaks(res.html, email)).toBe(false);
      const row = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data[0];
      expect(row.journey).not.toBe('viewed');
      // Its own forms do not get round the question either.
      const start = await visit(stack, token, { method: 'POST' });
      expect(start.html).toContain('enter the email address it was sent to');
      expect((await api.get(`/v1/links/${token}`)).body.journey).not.toBe('started');
    });

    it('when a wrong address is typed, then it is refused and audited without either address, and after a few the link says wait', async () => {
      const email = address();
      const { campaignId, token } = await liveInvite({ requireEmailMatch: true }, email);
      const typed = 'someone.else@example.com';
      const wrong = await visit(stack, token, { method: 'POST', form: { email: typed } });
      expect(wrong.status).toBe(403);
      expect(wrong.html).toContain('That address does not match this invitation.');
      expect(leaks(wrong.html, email) || wrong.html.includes(typed)).toBe(false);

      const entries = await stack.db.manager.findBy(AuditEntry, {
        campaignId,
        action: 'email_match_refused',
      });
      expect(entries).toHaveLength(1);
      expect(entries[0].actor).toBe('recipient');
      const written = JSON.stringify(entries[0]).toLowerCase();
      expect(written).not.toContain(email.toLowerCase());
      expect(written).not.toContain(typed);
      const audit = (await api.get(`/v1/campaigns/${campaignId}/audit`)).body.data;
      expect(audit.map((e) => e.action)).toContain('email_match_refused');

      for (let i = 1; i < EMAIL_TRIES; i++)
        expect(
          (await visit(stack, token, { method: 'POST', form: { email: `x${i}@example.com` } })).status,
        ).toBe(403);
      // Out of tries: even the right answer waits now, and nothing is compared or audited.
      const limited = await visit(stack, token, { method: 'POST', form: { email } });
      expect(limited.status).toBe(429);
      expect(limited.html).toContain('Too many attempts');
      expect(limited.setCookie).toBeNull();
      expect(await stack.db.manager.countBy(AuditEntry, { campaignId, action: 'email_match_refused' })).toBe(
        EMAIL_TRIES,
      );
    });

    it('when the right address is typed (any case), then a signed HttpOnly cookie for this link opens it, and only it', async () => {
      const email = address();
      const { campaignId, invite, token } = await liveInvite({ requireEmailMatch: true }, email);
      const right = await visit(stack, token, {
        method: 'POST',
        form: { email: `  ${email.toUpperCase()} ` },
      });
      expect([right.status, right.location]).toEqual([303, `/i/${token}`]);
      const cookie = right.setCookie!;
      expect(cookie).toMatch(
        new RegExp(`^herald_match=[0-9a-f]{64}; Path=/i/${token}; HttpOnly; SameSite=Lax$`),
      );
      expect(cookie.toLowerCase()).not.toContain(email.toLowerCase());
      const pair = cookie.split(';')[0];

      const opened = await visit(stack, token, { cookie: pair });
      expect(opened.status).toBe(200);
      expect(opened.html).toContain('Hi Ada,');
      expect(leaks(opened.html, email)).toBe(false);
      expect((await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data[0].journey).toBe('viewed');
      expect(await eventsOf(stack, invite.id)).toEqual(['invite.viewed']);

      // Without it, or with this cookie at another invite's link, or a forged one: the question.
      expect((await visit(stack, token)).html).toContain('enter the email address');
      const another = await liveInvite({ requireEmailMatch: true }, address());
      expect((await visit(stack, another.token, { cookie: pair })).html).toContain('enter the email address');
      expect((await visit(stack, token, { cookie: `herald_match=${'0'.repeat(64)}` })).html).toContain(
        'enter the email address',
      );
    });

    it('when the campaign also has a landing URL, then the redirect comes only after the match', async () => {
      const email = address();
      const { token } = await liveInvite(
        { requireEmailMatch: true, landingUrl: 'https://shop.example.com/redeem' },
        email,
      );
      const first = await visit(stack, token);
      expect([first.status, first.location]).toEqual([200, null]);
      const right = await visit(stack, token, { method: 'POST', form: { email } });
      const then = await visit(stack, token, { cookie: right.setCookie!.split(';')[0] });
      expect([then.status, then.location]).toEqual([
        303,
        `https://shop.example.com/redeem?herald_token=${token}`,
      ]);
    });

    it('when a link holds characters no token has (an emoji), then its page is "Link not found" like any wrong token', async () => {
      const res = await visit(stack, encodeURIComponent('😀é'));
      expect([res.status, res.html]).toEqual([404, expect.stringContaining('Link not found')]);
    });

    it('when an answer is posted to an unknown token, then it is "Link not found" like any wrong token', async () => {
      const res = await visit(stack, newInviteToken(), { method: 'POST', form: { email: 'a@example.com' } });
      expect([res.status, res.html]).toEqual([404, expect.stringContaining('Link not found')]);
    });

    it('when an invite has no address (link-only), then there is nothing to match and the link opens as usual', async () => {
      const { token } = await liveInvite({ requireEmailMatch: true });
      const res = await visit(stack, token);
      expect([res.status, res.html]).toEqual([200, expect.stringContaining('Start')]);
    });
  });
});

describe("The customer's own page, end to end in Chromium", () => {
  let browser: Browser;
  let shop: http.Server;
  let shopUrl: string;
  const shopCalls: { token: string; status: number }[] = [];
  /** The shop's backend also receives Herald's webhooks. */
  const hooks: { headers: http.IncomingHttpHeaders; body: string }[] = [];

  // Declared before the stack's: the browser and the shop close first.
  afterAll(async () => {
    await browser.close();
    await new Promise((resolve) => shop.close(resolve));
  });
  // The shop's webhook receiver is on loopback over http: allowed in development and tests only.
  const { stack, fake } = usePostmarkStack({ env: { ALLOW_HTTP_WEBHOOKS: 'true' } });
  const account = useAccount(stack, 1_000_000);
  const api = account.api;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The customer's page: it reads herald_token, and its backend completes with Herald's API.
    shop = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://shop');
      if (req.method === 'GET' && url.pathname === '/welcome') {
        const token = url.searchParams.get('herald_token') ?? '';
        res.setHeader('content-type', 'text/html');
        res.end(
          `<!doctype html><title>Shop</title><main><h1>Welcome to the shop</h1>` +
            `<form method="post" action="/order"><input type="hidden" name="token" value="${token}">` +
            `<button>Place order</button></form></main>`,
        );
        return;
      }
      if (req.method === 'POST' && url.pathname === '/hooks') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          hooks.push({ headers: req.headers, body });
          res.end('ok');
        });
        return;
      }
      if (req.method !== 'POST' || url.pathname !== '/order') {
        res.statusCode = 404; // e.g. the browser's /favicon.ico
        res.end();
        return;
      }
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const token = new URLSearchParams(body).get('token') ?? '';
        const answer = await fetch(`${stack.baseUrl}/v1/links/${token}/complete`, {
          method: 'POST',
          headers: { authorization: `Bearer ${account.adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ order: 'ORD-42' }),
        });
        shopCalls.push({ token, status: answer.status });
        res.setHeader('content-type', 'text/html');
        res.end(
          `<!doctype html><title>Shop</title><main><h1>Thank you</h1><p>Order ORD-42 is confirmed.</p></main>`,
        );
      });
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/welcome?from=herald`;
  });

  it('when a recipient follows the link in their email, then the shop gets them with the token, completes through the API, the invite is Used with the order, and the shop hears invite.completed, signed', async () => {
    const endpoint = await api.post('/v1/webhook-endpoints', {
      url: new URL('/hooks', shopUrl).toString(),
      events: ['invite.completed'],
    });
    expect(endpoint.status).toBe(201);
    const email = `buyer-${Math.random().toString(36).slice(2)}@example.com`;
    const id = await draft(api, { name: 'Spring Sale', landingUrl: shopUrl });
    const invite = (await api.post(`/v1/campaigns/${id}/invites`, { email, name: 'Bo' })).body;
    await api.post(`/v1/campaigns/${id}/launch`);
    const message = await eventually(async () => fake.sent.find((m) => m.To === email));
    const path = /\/i\/[A-Za-z0-9_-]+/.exec(message.TextBody ?? '')![0];
    expect(invite.url).toContain(path);

    const page = await browser.newPage();
    const first = await page.goto(`${stack.baseUrl}${path}`);
    expect(first!.request().redirectedFrom()?.url()).toBe(`${stack.baseUrl}${path}`);
    expect(page.url()).toBe(`${shopUrl}&herald_token=${tokenOf(path)}`);
    expect(await page.locator('h1').innerText()).toBe('Welcome to the shop');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForSelector('h1:has-text("Thank you")');
    await page.close();

    expect(shopCalls).toEqual([{ token: tokenOf(path), status: 200 }]);
    const row = (await api.get(`/v1/campaigns/${id}/invites?status=used`)).body.data[0];
    expect(row).toMatchObject({
      id: invite.id,
      status: 'used',
      journey: 'completed',
      order: 'ORD-42',
      linkState: 'completed',
    });
    const events = await stack.db.manager.findBy(WebhookEvent, { campaignId: id });
    const completed = events.find((e) => e.type === 'invite.completed');
    expect(JSON.parse(completed!.payload).data).toEqual({
      inviteId: invite.id,
      campaignId: id,
      order: 'ORD-42',
    });
    expect(events.map((e) => e.type)).toContain('invite.viewed');
    // Delivered to the shop's backend, verified with a Standard Webhooks library.
    const hook = await eventually(async () => hooks.find((h) => h.body.includes(invite.id)), {
      timeoutMs: 20_000,
    });
    const verified = new Webhook(endpoint.body.secret).verify(hook.body, {
      'webhook-id': String(hook.headers['webhook-id']),
      'webhook-timestamp': String(hook.headers['webhook-timestamp']),
      'webhook-signature': String(hook.headers['webhook-signature']),
    }) as { type: string; data: Record<string, unknown> };
    expect(verified).toMatchObject({
      type: 'invite.completed',
      data: { inviteId: invite.id, order: 'ORD-42' },
    });

    // The link now shows Herald's own "Already Completed", not the shop.
    const again = await browser.newPage();
    const response = await again.goto(`${stack.baseUrl}${path}`);
    expect([response!.status(), await again.locator('h1').innerText()]).toEqual([200, 'Already Completed']);
    await again.close();
  });
  it('when the campaign asks for the address, then the recipient types it in the browser and only then reaches the shop', async () => {
    const email = `buyer-${Math.random().toString(36).slice(2)}@example.com`;
    const id = await draft(api, { name: 'Members Sale', landingUrl: shopUrl, requireEmailMatch: true });
    const invite = (await api.post(`/v1/campaigns/${id}/invites`, { email, name: 'Bo' })).body;
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const link = `${stack.baseUrl}/i/${tokenOf(invite.url)}`;

    const page = await browser.newPage();
    await page.goto(link);
    expect(await page.locator('main').innerText()).not.toContain(email);
    await page.getByLabel('Your email address').fill('not-me@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('text=That address does not match this invitation.');
    await page.getByLabel('Your email address').fill(email.toUpperCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('h1:has-text("Welcome to the shop")');
    expect(page.url()).toBe(`${shopUrl}&herald_token=${tokenOf(invite.url)}`);
    // The same browser opens the link again without being asked.
    await page.goto(link);
    await page.waitForSelector('h1:has-text("Welcome to the shop")');
    await page.close();
  });
});
