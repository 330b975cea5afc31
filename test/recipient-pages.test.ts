import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { newInviteToken } from '../security/tokens';
import { RateLimiter } from '../api/rate-limit';
import { draft, inSeconds, untilInstant, untilStatus } from './support/campaigns';
import { launchBrowser, openPage } from './support/browser';
import { eventually, type Stack, useAccount, useStack, withStack } from './support/stack';

describe('Recipient pages, as a person sees them in Chromium', () => {
  let browser: Browser;
  // Declared before the stack's: the browser closes first.
  afterAll(() => browser.close());
  const stack = useStack({
    pageLimits: { requests: new RateLimiter(10_000, 1_000), misses: new RateLimiter(10_000, 1_000) },
  });
  const api = useAccount(stack, 1_000_000).api;
  beforeAll(async () => {
    browser = await launchBrowser();
  });

  /** A page URL on this test's server (PUBLIC_BASE_URL is the configured one). */
  const local = (url: string) => `${stack.baseUrl}${new URL(url).pathname}`;

  async function liveInvite(body: Record<string, unknown> = {}, invite: Record<string, unknown> = {}) {
    const id = await draft(api, {
      name: 'Spring Tasting',
      description: 'Three wines, one evening.',
      ...body,
    });
    const created = (
      await api.post(`/v1/campaigns/${id}/invites`, {
        email: `guest-${Math.random()}@example.com`,
        name: 'Ada',
        ...invite,
      })
    ).body;
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    return { campaignId: id, invite: created };
  }

  it('when a recipient opens a working link, then they read the campaign and a Start button, and the view is recorded', async () => {
    const { campaignId, invite } = await liveInvite();
    const page = await openPage(browser, local(invite.url));
    expect(page.status).toBe(200);
    expect(page.heading).toBe('Spring Tasting');
    expect(page.text).toContain('Hi Ada,');
    expect(page.text).toContain('Three wines, one evening.');
    expect(await page.page.getByRole('button', { name: 'Start' }).isVisible()).toBe(true);
    await page.page.close();
    const row = (await api.get(`/v1/campaigns/${campaignId}/invites`)).body.data[0];
    expect(row.journey).toBe('viewed');
  });

  it('when they start and complete with an order, then the invite is used and the link reads "Already Completed"', async () => {
    const { campaignId, invite } = await liveInvite();
    const { page } = await openPage(browser, local(invite.url));
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByLabel('Order reference').fill('PO-77');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForSelector('h1:has-text("Already Completed")');
    expect(await page.locator('main').innerText()).toContain('You have already completed this invitation.');
    await page.close();

    const row = (await api.get(`/v1/campaigns/${campaignId}/invites?status=used`)).body.data[0];
    expect(row).toMatchObject({
      id: invite.id,
      status: 'used',
      journey: 'completed',
      order: 'PO-77',
      linkState: 'completed',
    });
    const again = await openPage(browser, local(invite.url));
    expect([again.status, again.heading]).toEqual([200, 'Already Completed']);
    await again.page.close();
  });

  it('when the campaign is not launched yet, then the page says "Not open yet" with the start date', async () => {
    const id = await draft(api, { name: 'Later', startAt: '2030-12-01T09:00:00Z' });
    const invite = (await api.post(`/v1/campaigns/${id}/invites`, {})).body;
    const page = await openPage(browser, local(invite.url));
    expect([page.status, page.heading]).toEqual([200, 'Not open yet']);
    expect(page.text).toContain('This invitation opens on 1 December 2030, 09:00 UTC');
    await page.page.close();
  });

  it.each([
    [
      'the campaign was cancelled',
      async (campaignId: string) => void (await api.post(`/v1/campaigns/${campaignId}/cancel`)),
    ],
    [
      'the invite reached its own expiry',
      async (_campaignId: string, invite: { expiresAt: string | null }) => untilInstant(invite.expiresAt!),
    ],
    [
      'the campaign reached its expiry first',
      async (campaignId: string) => void (await untilStatus(api, campaignId, 'expired')),
    ],
  ])('when %s, then the link answers 410 "Link Expired"', async (why, makeItExpire) => {
    const { campaignId, invite } = await liveInvite(
      why.includes('campaign reached') ? { expiresAt: inSeconds(6) } : {},
      why.includes('own expiry') ? { expiresIn: inSeconds(2) } : { expiresIn: '30d' },
    );
    await makeItExpire(campaignId, invite);
    const page = await openPage(browser, local(invite.url));
    expect([page.status, page.heading]).toEqual([410, 'Link Expired']);
    expect(page.text).toContain('This invitation link is no longer valid.');
    await page.page.close();
  });

  it('when the token is unknown, then 404 "Link not found"', async () => {
    const page = await openPage(browser, `${stack.baseUrl}/i/${newInviteToken()}`);
    expect([page.status, page.heading]).toEqual([404, 'Link not found']);
    await page.page.close();
  });

  describe('their security headers', () => {
    /** The headers every recipient page answer carries, whatever it says. */
    const expectLockedDown = (headers: Headers, where: string) => {
      const csp = headers.get('content-security-policy') ?? '';
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name, values.join(' ')] as const;
        }),
      );
      expect({ where, csp: Object.fromEntries(directives) }).toEqual({
        where,
        csp: {
          'default-src': "'none'",
          'style-src': expect.stringMatching(/^'sha256-[A-Za-z0-9+/]+=*'$/),
          'form-action': "'self'",
          'frame-ancestors': "'none'",
          'base-uri': "'none'",
        },
      });
      expect([headers.get('x-content-type-options'), headers.get('referrer-policy')]).toEqual([
        'nosniff',
        'no-referrer',
      ]);
    };

    it('when any recipient page answers (ready, a redirect, not found, a malformed link, a path under /i that does not exist), then it forbids framing, scripts and other origins, and sends no Referer', async () => {
      const { invite } = await liveInvite();
      const path = new URL(invite.url).pathname;
      const answers: Array<[string, string, RequestInit?]> = [
        ['ready', path],
        ['start (303)', `${path}/start`, { method: 'POST', redirect: 'manual' }],
        ['unknown', `/i/${newInviteToken()}`],
        ['malformed', '/i/%ff'],
        ['no such page', `${path}/nowhere`],
      ];
      for (const [where, p, init] of answers) {
        const res = await fetch(`${stack.baseUrl}${p}`, init);
        await res.text();
        expectLockedDown(res.headers, where);
      }
    });

    it('when the campaign asks for the address, then the question page is locked down the same way', async () => {
      const { invite } = await liveInvite({ requireEmailMatch: true });
      const res = await fetch(local(invite.url));
      expect(await res.text()).toContain('enter the email address');
      expectLockedDown(res.headers, 'email question');
    });

    it('when Chromium renders a page under that policy, then its stylesheet applies and nothing is refused', async () => {
      const { invite } = await liveInvite();
      const page = await browser.newPage();
      const refusals: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) refusals.push(m.text());
      });
      await page.goto(local(invite.url));
      // The page's own inline <style> (allowed by its hash): a white card on a grey page.
      const colours = await page.evaluate<string[]>(
        `[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('main')).backgroundColor]`,
      );
      expect(colours).toEqual(['rgb(244, 245, 247)', 'rgb(255, 255, 255)']);
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByLabel('Order reference').fill('PO-CSP');
      await page.getByRole('button', { name: 'Complete' }).click();
      await page.waitForSelector('h1:has-text("Already Completed")');
      expect(refusals).toEqual([]);
      await page.close();
    });

    it('when a page on another origin frames a recipient link, then Chromium refuses to show it in the frame', async () => {
      const { invite } = await liveInvite();
      const target = local(invite.url);
      const framer = http.createServer((_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(`<!doctype html><title>Framer</title><h1>Click here</h1><iframe src="${target}"></iframe>`);
      });
      await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
      const page = await browser.newPage();
      try {
        const refusals: string[] = [];
        page.on('console', (m) => void refusals.push(m.text()));
        const framed = page.waitForResponse((r) => r.url() === target);
        await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
        expect((await framed).status()).toBe(200); // the server answered; the browser would not show it
        await eventually(async () =>
          refusals.some((t) => t.includes("frame-ancestors 'none'")) ? true : undefined,
        );
        const frame = page.frames().find((f) => f !== page.mainFrame())!;
        expect(frame.url()).not.toBe(target);
        expect(await frame.locator('button').count()).toBe(0);
      } finally {
        await page.close();
        await new Promise((resolve) => framer.close(resolve));
      }
    });

    it('when the API answers (JSON, a problem, the OpenAPI document), then it is marked nosniff too', async () => {
      for (const p of ['/v1/campaigns', '/v1/no-such-route', '/openapi.json', '/healthz']) {
        const res = await fetch(`${stack.baseUrl}${p}`, { headers: { authorization: `Bearer ${api.key}` } });
        await res.text();
        expect([p, res.headers.get('x-content-type-options')]).toEqual([p, 'nosniff']);
      }
    });
  });
});

describe('Private link tokens', () => {
  // The production burst (10 misses), with next to no refill: on a loaded machine fifteen
  // slow requests must not earn back a guess the test then counts as a 404.
  const stack = useStack({
    worker: false,
    pageLimits: { requests: new RateLimiter(60, 1), misses: new RateLimiter(10, 0.0001) },
  });

  it('when 10,000 invites are made, then their tokens are distinct, url-safe and carry at least 128 bits', async () => {
    const account = await stack.newAccount();
    const api = account.as(account.adminKey);
    const id = await draft(api);
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { count: 10_000 })).body).toEqual({
      created: 10_000,
    });
    const rows: { token: string }[] = await stack.db.dataSource.query(
      'SELECT token FROM invites WHERE campaignId = ?',
      [id],
    );
    const tokens = rows.map((r) => r.token);
    expect(tokens).toHaveLength(10_000);
    expect(new Set(tokens).size).toBe(10_000);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it('when one client bursts wrong tokens, then it gets 429 with Retry-After, and a wrong token takes as long as a right one', async () => {
    const account = await stack.newAccount();
    const api = account.as(account.adminKey);
    const id = await draft(api);
    const invite = (await api.post(`/v1/campaigns/${id}/invites`, {})).body;
    const path = new URL(invite.url).pathname;

    const timed = async (p: string) => {
      const t = performance.now();
      const res = await fetch(`${stack.baseUrl}${p}`);
      await res.text();
      return {
        status: res.status,
        ms: performance.now() - t,
        retryAfter: res.headers.get('retry-after'),
        framing: res.headers.get('content-security-policy')?.match(/frame-ancestors [^;]+/)?.[0],
      };
    };
    const right = await timed(path);
    const statuses: number[] = [];
    const wrongTimes: number[] = [];
    let limited: { retryAfter: string | null; framing?: string } | undefined;
    for (let i = 0; i < 15; i++) {
      const r = await timed(`/i/${newInviteToken()}`);
      statuses.push(r.status);
      if (r.status === 404) wrongTimes.push(r.ms);
      if (r.status === 429) limited ??= r;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    expect(Number(limited?.retryAfter)).toBeGreaterThan(0);
    expect(limited?.framing).toBe("frame-ancestors 'none'");
    // Both sides pay the same response floor, which dwarfs the lookup's own variation.
    expect(right.ms).toBeGreaterThanOrEqual(55);
    for (const ms of wrongTimes) expect(ms).toBeGreaterThanOrEqual(55);
    // The right token from that client is limited too: guessing stops, whatever the guess.
    expect((await timed(path)).status).toBe(429);
  });
});

describe('Rate limits behind a load balancer', () => {
  /** Eleven wrong tokens, each "from" the address `from(i)` says (X-Forwarded-For): the statuses. */
  const burst = async (stack: Stack, from: (i: number) => string, count = 11) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${stack.baseUrl}/i/${newInviteToken()}`, {
        headers: { 'x-forwarded-for': from(i) },
      });
      await res.text();
      statuses.push(res.status);
    }
    return statuses;
  };

  it('when the proxy is trusted (TRUST_PROXY=1), then each client is limited on its own forwarded address', async () => {
    await withStack({ worker: false, env: { TRUST_PROXY: '1' } }, async (stack) => {
      expect(await burst(stack, () => '203.0.113.7')).toEqual([...Array(10).fill(404), 429]);
      // Another client behind the same proxy is not locked out by the first one's guessing.
      expect(await burst(stack, () => '198.51.100.4', 1)).toEqual([404]);
    });
  });

  it('when no proxy is trusted (the default), then a forged X-Forwarded-For changes nothing: the burst is limited all the same', async () => {
    await withStack({ worker: false }, async (stack) => {
      expect(await burst(stack, (i) => `203.0.113.${i + 1}`)).toEqual([...Array(10).fill(404), 429]);
    });
  });
});
