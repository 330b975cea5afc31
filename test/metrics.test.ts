import * as net from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { serveMetrics } from '../ops/metrics-server';
import { configureLogs, toStdout } from '../ops/log';
import { untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients, invitationsOf } from './support/delivery';
import { FAKE_POSTMARK_TOKEN } from './support/postmark-server';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

type Families = ReturnType<typeof parsePrometheusTextFormat>;
interface Scrape {
  /** The families as typed (histograms folded; the parser keeps no labels there). */
  families: Families;
  /** Every sample line as its own family, labels kept (`x_count`, `x_bucket` of a histogram too). */
  samples: Families;
}

/**
 * One scrape, parsed by a real Prometheus text-format parser (it throws on a malformed
 * line). Its folding of a histogram drops the labels of labelled ones, so the samples are
 * also read with the TYPE lines left out: each `_count`/`_sum`/`_bucket` series apart.
 */
async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await res.text();
  return {
    families: parsePrometheusTextFormat(text),
    samples: parsePrometheusTextFormat(text.replace(/^# TYPE .*$/gm, '')),
  };
}

const family = (scraped: Scrape, name: string) => scraped.families.find((f) => f.name === name);

/** The samples of `name` whose labels include `labels`, summed; 0 when absent. */
function value(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  return scraped.samples
    .filter((f) => f.name === name)
    .flatMap((f) => f.metrics)
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value ?? 0), 0);
}

/** Invitations the worker's "emails recorded" lines count for a campaign. */
const sentInLogs = (lines: string[], campaignId: string) =>
  lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((e) => e.msg === 'emails recorded' && e.campaignId === campaignId && e.kind === 'invitation')
    .reduce((sum, e) => sum + Number(e.sent), 0);

const N = 20;
/** Words only the email's body carries (the campaign's description): never in a log line. */
const BODY_TEXT = 'Bring-your-own-lantern-8c1e';

describe('Metrics and logs of a campaign run: both /metrics endpoints and the JSON log lines', () => {
  let campaignId: string;
  let tokens: string[];
  const lines: string[] = [];
  let before: { api: Scrape; worker: Scrape };
  let after: { api: Scrape; worker: Scrape };

  // The log lines from before the stack starts until after it has closed.
  beforeAll(() => configureLogs({ level: 'info', write: (line) => lines.push(line) }));
  const { stack, fake } = usePostmarkStack({ workerMetrics: true, apiMetrics: true });
  const account = useAccount(stack, 10_000_000);
  const api = account.api;
  afterAll(() => configureLogs({ level: 'warn', write: toStdout }));

  beforeAll(async () => {
    // The SDK's exporter has its series once the worker has polled: wait for them before the baseline.
    await eventually(async () =>
      (await scrape(stack.workerMetricsUrl!)).families.some((f) => f.name.startsWith('temporal_'))
        ? true
        : undefined,
    );
    before = { api: await scrape(stack.apiMetricsUrl!), worker: await scrape(stack.workerMetricsUrl!) };

    const { id } = await draftWithRecipients(api, N, {
      description: BODY_TEXT,
      batch: { size: 10, gapMinutes: 0 },
    });
    campaignId = id;
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active', 30_000);
    await eventually(async () => (invitationsOf(fake, id).length === N ? true : undefined));

    // Recorded (the count follows the commit) and logged (the SDK's logger flushes every 100 ms).
    await eventually(async () => (sentInLogs(lines, id) === N ? true : undefined));
    tokens = (await allInvites(api, id)).map((i) => new URL(i.url).pathname.split('/').pop()!);
    // A recipient opens their page: its request is counted and logged under the route, not the path.
    expect((await fetch(`${stack.baseUrl}/i/${tokens[0]}`)).status).toBe(200);

    after = { api: await scrape(stack.apiMetricsUrl!), worker: await scrape(stack.workerMetricsUrl!) };
  }, 90_000);

  const moved = (side: 'api' | 'worker', name: string, labels: Record<string, string> = {}) =>
    value(after[side], name, labels) - value(before[side], name, labels);

  it('then the public API port does not serve /metrics: a 404 problem, the series only on the metrics port', async () => {
    const res = await stack.api.request('GET', '/metrics');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(res.body)).not.toContain('herald_');
    expect(stack.apiMetricsUrl).not.toContain(stack.baseUrl);
  });

  it('then the API counts the launch under its route pattern and times it', () => {
    expect(
      moved('api', 'herald_http_requests_total', { route: '/v1/campaigns/:id/launch', status: '200' }),
    ).toBe(1);
    expect(
      moved('api', 'herald_http_request_duration_seconds_count', { route: '/v1/campaigns/:id/launch' }),
    ).toBe(1);
    expect(moved('api', 'herald_http_requests_total', { route: '/i/:token', status: '200' })).toBe(1);
    expect(family(after.api, 'herald_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
  });

  it('then no route label holds an id or a token, only patterns', () => {
    const routes = family(after.api, 'herald_http_requests_total')!.metrics.map((m) => m.labels!.route);
    for (const route of routes) {
      expect(route).not.toContain(campaignId);
      for (const token of tokens) expect(route).not.toContain(token);
    }
  });

  it('then the API shows campaigns by status from the database, this one among the active', () => {
    expect(family(after.api, 'herald_campaigns')?.type).toBe('GAUGE');
    expect(value(after.api, 'herald_campaigns', { status: 'active' })).toBeGreaterThanOrEqual(1);
    // Every status is there, 0 when none: an alert can compare against it.
    expect(family(after.api, 'herald_campaigns')!.metrics.map((m) => m.labels!.status)).toEqual(
      expect.arrayContaining(['draft', 'scheduled', 'launching', 'active', 'paused', 'expired', 'cancelled']),
    );
  });

  it('then the worker counts each invitation sent once, and times the provider calls', () => {
    expect(moved('worker', 'herald_emails_total', { kind: 'invitation', outcome: 'sent' })).toBe(N);
    expect(moved('worker', 'herald_emails_total', { kind: 'invitation', outcome: 'failed' })).toBe(0);
    const calls = fake.calls.filter((c) => c.path === '/email/batch' && c.count > 0).length;
    expect(moved('worker', 'herald_provider_request_duration_seconds_count', { result: 'ok' })).toBe(calls);
    expect(family(after.worker, 'herald_provider_request_duration_seconds')?.type).toBe('HISTOGRAM');
  });

  it("then the worker's endpoint also carries the Temporal SDK's own worker series, moving", () => {
    const sdk = after.worker.families.filter((f) => f.name.startsWith('temporal_'));
    expect(sdk.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'temporal_activity_execution_latency',
        'temporal_workflow_task_execution_latency',
      ]),
    );
    expect(moved('worker', 'temporal_activity_execution_latency_count')).toBeGreaterThan(0);
    expect(moved('worker', 'temporal_workflow_task_execution_latency_count')).toBeGreaterThan(0);
  });

  describe('the JSON log lines of that run', () => {
    const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

    it('then every line is one JSON object with time, level and msg', () => {
      expect(lines.length).toBeGreaterThan(0);
      for (const entry of entries()) {
        expect(typeof entry.time).toBe('string');
        expect(['debug', 'info', 'warn', 'error']).toContain(entry.level);
        expect(typeof entry.msg).toBe('string');
      }
    });

    it("then the API's request lines and the worker's send lines carry the campaign's id", () => {
      expect(entries()).toContainEqual(
        expect.objectContaining({
          msg: 'request',
          route: '/v1/campaigns/:id/launch',
          status: 200,
          campaignId,
        }),
      );
      const sends = entries().filter((e) => e.msg === 'emails recorded' && e.kind === 'invitation');
      expect(sentInLogs(lines, campaignId)).toBe(N);
      expect(sends[0]).toMatchObject({ campaignId, workflowId: `campaign-${campaignId}` });
      // Whatever names the campaign's workflow names the campaign too.
      for (const e of entries().filter((e) => e.workflowId === `campaign-${campaignId}`))
        expect(e.campaignId).toBe(campaignId);
      expect(entries()).toContainEqual(expect.objectContaining({ msg: 'request', route: '/i/:token' }));
    });

    it('then no line holds an invite token, the API key, the provider token or the email body', () => {
      const all = lines.join('\n');
      for (const token of tokens) expect(all).not.toContain(token);
      expect(all).not.toContain(account.adminKey);
      expect(all).not.toContain(FAKE_POSTMARK_TOKEN);
      expect(all).not.toContain(BODY_TEXT);
      // Nor the activity's task token (it completes the activity), which the SDK's metadata has.
      expect(all).not.toMatch(/taskToken/);
    });
  });
});

describe('One process, one METRICS_PORT (`npm start`: the API and a worker together)', () => {
  it('when both parts ask for the same port, then one listener serves the shared series once and both parts, until the last part closes', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const [apiPart, workerPart] = await Promise.all([
      serveMetrics({ port, host: '127.0.0.1', source: async () => '# TYPE api_part gauge\napi_part 1\n' }),
      serveMetrics({
        port,
        host: '127.0.0.1',
        source: async () => '# TYPE worker_part gauge\nworker_part 2\n',
      }),
    ]);
    try {
      expect(apiPart.url).toBe(`http://127.0.0.1:${port}/metrics`);
      expect(workerPart.url).toBe(apiPart.url);
      const both = await scrape(apiPart.url);
      const names = both.families.map((f) => f.name);
      expect(names).toEqual(
        expect.arrayContaining(['api_part', 'worker_part', 'herald_process_cpu_user_seconds_total']),
      );
      expect(names.filter((n) => n === 'herald_process_cpu_user_seconds_total')).toHaveLength(1);

      await apiPart.close();
      const workerOnly = (await scrape(workerPart.url)).families.map((f) => f.name);
      expect(workerOnly).toContain('worker_part');
      expect(workerOnly).not.toContain('api_part');
    } finally {
      await apiPart.close();
      await workerPart.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
