import type { Schemas } from './support/api-types';
import { untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients, emailed, invitationsOf } from './support/delivery';
import type { SentMessage } from './support/postmark-server';
import { useAccount, usePostmarkStack } from './support/stack';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const SAFE_LINKS = 'Mozilla/5.0 (compatible; Microsoft Safe Links; SafeLinks)';
const APPLE_PROXY = 'Mozilla/5.0';

type Funnel = { stage: string; people: number; machines: number; conversion: number | null }[];
const byStage = (funnel: Funnel) => Object.fromEntries(funnel.map((s) => [s.stage, [s.people, s.machines]]));

describe('Analytics: a funnel people and machines apart, a timeline, and tracking only when asked', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000, { support: true });
  const { api, support } = account;

  const hook = async (body: Record<string, unknown>) => {
    const res = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('hooks:hook-secret').toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { handled: boolean }).handled).toBe(true);
  };
  // Postmark's documented Open and Click payloads (postmarkapp.com/developer/webhooks), trimmed of Geo.
  const open = (m: SentMessage, UserAgent: string) => ({
    RecordType: 'Open',
    MessageStream: m.MessageStream,
    FirstOpen: true,
    Client: { Name: 'Chrome', Company: 'Google', Family: 'Chrome' },
    OS: { Name: 'Windows 10', Company: 'Microsoft', Family: 'Windows' },
    Platform: 'WebMail',
    UserAgent,
    ReadSeconds: 5,
    MessageID: m.MessageID,
    Metadata: m.Metadata,
    ReceivedAt: new Date().toISOString(),
    Tag: '',
    Recipient: m.To,
  });
  const click = (m: SentMessage, UserAgent: string) => ({
    RecordType: 'Click',
    MessageStream: m.MessageStream,
    ClickLocation: 'HTML',
    Client: { Name: 'Chrome', Company: 'Google', Family: 'Chrome' },
    OS: { Name: 'Windows 10', Company: 'Microsoft', Family: 'Windows' },
    Platform: 'Desktop',
    UserAgent,
    OriginalLink: 'https://herald.example/i/x',
    MessageID: m.MessageID,
    Metadata: m.Metadata,
    ReceivedAt: new Date().toISOString(),
    Tag: '',
    Recipient: m.To,
  });
  const delivery = (m: SentMessage) => ({
    RecordType: 'Delivery',
    MessageID: m.MessageID,
    Recipient: m.To,
    DeliveredAt: new Date().toISOString(),
    Details: 'Test delivery webhook details',
  });
  const visit = (url: string, method = 'GET', userAgent?: string) =>
    fetch(`${stack.baseUrl}${new URL(url).pathname}`, {
      method,
      redirect: 'manual',
      headers: userAgent ? { 'user-agent': userAgent } : {},
    });
  const post = (url: string, step: 'start' | 'complete', form: Record<string, string> = {}) =>
    fetch(`${stack.baseUrl}${new URL(url).pathname}/${step}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'user-agent': CHROME, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  async function sent(n: number, tracking?: { opens?: boolean; links?: boolean }) {
    const { id } = await draftWithRecipients(api, n, tracking ? { tracking } : {});
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const messages = invitationsOf(fake, id);
    const invites = await allInvites(api, id);
    return {
      id,
      recipients: invites.map((invite) => ({
        invite: emailed(invite),
        message: messages.find((m) => m.Metadata.inviteId === invite.id) as SentMessage,
      })),
    };
  }
  const journeyOf = async (campaignId: string, inviteId: string) =>
    (await allInvites(api, campaignId)).find((i) => i.id === inviteId)!.journey;
  const eventsOf = async (inviteId: string) =>
    (
      await stack.db.dataSource.query<{ type: string; payload: string }[]>(
        'SELECT type, payload FROM webhook_events WHERE accountId = ?',
        [account.accountId],
      )
    )
      .filter((e) => (JSON.parse(e.payload) as { data?: { inviteId?: string } }).data?.inviteId === inviteId)
      .map((e) => e.type)
      .sort();

  it('when a campaign asks for open and link tracking, then its emails ask Postmark for TrackOpens and TrackLinks; a campaign that does not sends neither', async () => {
    const tracked = await sent(2, { opens: true, links: true });
    for (const { message } of tracked.recipients)
      expect([message.TrackOpens, message.TrackLinks]).toEqual([true, 'HtmlAndText']);
    expect((await api.get(`/v1/campaigns/${tracked.id}`)).body.tracking).toEqual({
      opens: true,
      links: true,
    });

    const plain = await sent(1);
    for (const { message } of plain.recipients)
      expect([message.TrackOpens, message.TrackLinks]).toEqual([undefined, undefined]);
    expect((await api.get(`/v1/campaigns/${plain.id}`)).body.tracking).toEqual({
      opens: false,
      links: false,
    });

    // Changed later, it applies from the next email; a field left out stays as it was.
    expect((await api.patch(`/v1/campaigns/${plain.id}`, { tracking: { links: true } })).status).toBe(200);
    expect((await api.get(`/v1/campaigns/${plain.id}`)).body.tracking).toEqual({ opens: false, links: true });
    const refused = await api.request('PATCH', `/v1/campaigns/${plain.id}`, { tracking: { pixels: true } });
    expect(refused.status).toBe(400);
  });

  it("when people open, click, visit and complete while Apple's proxy, a link scanner and HEAD requests touch other invites, then the funnel counts machines apart and only people move journeys and make events", async () => {
    const { id, recipients } = await sent(3, { opens: true, links: true });
    const [person, proxied, scanned] = recipients;
    for (const r of recipients) await hook(delivery(r.message));

    await hook(open(person.message, CHROME));
    await hook(click(person.message, CHROME));
    expect((await visit(person.invite.url, 'GET', CHROME)).status).toBe(200);
    expect((await post(person.invite.url, 'start')).status).toBe(303);
    expect((await post(person.invite.url, 'complete', { order: 'PO-1' })).status).toBe(303);

    await hook(open(proxied.message, APPLE_PROXY));
    await hook(click(scanned.message, SAFE_LINKS));
    expect((await visit(scanned.invite.url, 'HEAD', CHROME)).status).toBe(200);
    expect((await visit(scanned.invite.url, 'GET', SAFE_LINKS)).status).toBe(200);

    expect(await journeyOf(id, person.invite.id)).toBe('completed');
    expect(await journeyOf(id, proxied.invite.id)).toBe('delivered');
    expect(await journeyOf(id, scanned.invite.id)).toBe('delivered');
    expect(await eventsOf(proxied.invite.id)).not.toContain('invite.opened');
    expect(await eventsOf(scanned.invite.id)).not.toContain('invite.clicked');
    expect(await eventsOf(scanned.invite.id)).not.toContain('invite.viewed');
    expect(await eventsOf(person.invite.id)).toEqual(
      expect.arrayContaining(['invite.opened', 'invite.clicked', 'invite.viewed', 'invite.completed']),
    );
    // A scanner's visit uses nothing up: the link still works for its person.
    expect((await visit(scanned.invite.url, 'GET', CHROME)).status).toBe(200);
    expect(await journeyOf(id, scanned.invite.id)).toBe('viewed');

    const analytics = (await api.get(`/v1/campaigns/${id}/analytics?interval=hour`))
      .body as Schemas['CampaignAnalytics'];
    expect(byStage(analytics.funnel)).toEqual({
      sent: [3, 0],
      delivered: [3, 0],
      opened: [2, 1],
      clicked: [2, 1],
      viewed: [2, 2],
      started: [1, 0],
      completed: [1, 0],
    });
    expect(analytics.funnel.find((s) => s.stage === 'completed')!.conversion).toBe(1);
    expect(analytics.funnel.find((s) => s.stage === 'started')!.conversion).toBe(0.5);
    expect(analytics.outcomes).toEqual({ bounced: 0, complained: 0, unsubscribed: 0, failed: 0 });
    expect(analytics.medianSecondsSentToCompleted).toEqual(expect.any(Number));
    // The timeline adds up to the funnel: this all happened within an hour or two.
    const sum = (k: 'opened' | 'machineViewed' | 'completed') =>
      analytics.timeline.reduce((n, step) => n + step[k], 0);
    expect([sum('opened'), sum('machineViewed'), sum('completed')]).toEqual([2, 2, 1]);

    // Support reads the same numbers; the CSV has them too.
    const seen = (await support.get(`/v1/campaigns/${id}/analytics`)).body as Schemas['CampaignAnalytics'];
    expect(seen.funnel).toEqual(analytics.funnel);
    const csv = await api.request<string>('GET', `/v1/campaigns/${id}/analytics?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, total] = csv.body.split('\r\n');
    expect(header.split(',').slice(0, 8)).toEqual([
      'period',
      'sent',
      'delivered',
      'opened',
      'clicked',
      'viewed',
      'started',
      'completed',
    ]);
    expect(total.split(',').slice(0, 8)).toEqual(['total', '3', '3', '2', '2', '2', '1', '1']);
  });

  it('when opens, clicks and deliveries of the same messages arrive at once, then each stage counts each invite exactly once', async () => {
    const { id, recipients } = await sent(10);
    await Promise.all(
      recipients.flatMap(({ message }) => [
        hook(click(message, CHROME)),
        hook(open(message, CHROME)),
        hook(delivery(message)),
        hook(open(message, CHROME)),
      ]),
    );
    const funnel = byStage(
      ((await api.get(`/v1/campaigns/${id}/analytics`)).body as Schemas['CampaignAnalytics']).funnel,
    );
    expect([funnel.sent, funnel.delivered, funnel.opened, funnel.clicked, funnel.viewed]).toEqual([
      [10, 0],
      [10, 0],
      [10, 0],
      [10, 0],
      [0, 0],
    ]);
  });

  it("when the account's analytics are asked for a period, then each campaign with activity in it is listed with its numbers; a period backwards is refused", async () => {
    const { id, recipients } = await sent(2);
    await hook(open(recipients[0].message, CHROME));
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const answer = (await support.get(`/v1/analytics?from=${from}&to=${to}&interval=hour`))
      .body as Schemas['AccountAnalytics'];
    const mine = answer.campaigns.find((c) => c.campaignId === id)!;
    expect([mine.sent, mine.opened, mine.clicked]).toEqual([2, 1, 0]);
    expect(answer.totals.sent).toBeGreaterThanOrEqual(2);
    const csv = await api.request<string>('GET', `/v1/analytics?from=${from}&to=${to}&format=csv`);
    expect(csv.body).toContain(`${id},Delivery,2,`);

    const backwards = await api.request('GET', `/v1/analytics?from=${to}&to=${from}`);
    expect([backwards.status, backwards.headers.get('content-type')]).toEqual([
      400,
      'application/problem+json; charset=utf-8',
    ]);
  });
});

describe('Analytics with the prefetch rule on (PREFETCH_WINDOW_SECONDS=30): what comes within seconds of delivery is a machine', () => {
  const { stack, fake } = usePostmarkStack({ env: { PREFETCH_WINDOW_SECONDS: '30' } });
  const account = useAccount(stack, 10_000_000);
  const { api } = account;

  it('when a browser-like scanner follows the link and fetches the page seconds after delivery, then both are counted as machines and the journey stays at delivered; after a person was seen, the same speed counts', async () => {
    const { id } = await draftWithRecipients(api, 1, { tracking: { links: true } });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [message] = invitationsOf(fake, id);
    const [invite] = await allInvites(api, id);
    const hook = (body: Record<string, unknown>) =>
      fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('hooks:hook-secret').toString('base64')}`,
        },
        body: JSON.stringify({ MessageID: message.MessageID, Recipient: message.To, ...body }),
      });
    expect((await hook({ RecordType: 'Delivery' })).status).toBe(200);
    // A scanner that looks like Chrome, at once: only its timing gives it away.
    expect((await hook({ RecordType: 'Click', UserAgent: CHROME })).status).toBe(200);
    const page = `${stack.baseUrl}${new URL(invite.url).pathname}`;
    expect((await fetch(page, { headers: { 'user-agent': CHROME } })).status).toBe(200);
    let journey = (await allInvites(api, id))[0].journey;
    expect(journey).toBe('delivered');

    // The person starts checkout (a POST no scanner makes): from then on, speed is no sign of a machine.
    const start = await fetch(`${page}/start`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'user-agent': CHROME, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(start.status).toBe(303);
    journey = (await allInvites(api, id))[0].journey;
    expect(journey).toBe('started');
    const funnel = ((await api.get(`/v1/campaigns/${id}/analytics`)).body as Schemas['CampaignAnalytics'])
      .funnel;
    expect(byStage(funnel)).toMatchObject({ clicked: [1, 1], viewed: [1, 1], started: [1, 0] });
  });
});
