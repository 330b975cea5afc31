/**
 * The rehearsal's load client, as a load balancer in front of the API processes would behave:
 * requests go round-robin over the instances; one that refuses the connection (stopped,
 * draining, restarting) is skipped and the request goes to the next. Every request's latency,
 * failovers included, is kept per series for the report.
 */
export interface Answer<T = unknown> {
  status: number;
  body: T;
  ms: number;
}

export interface RequestOptions {
  key: string;
  body?: unknown;
  /** Sent as is with this content type (the CSV import); otherwise `body` is JSON. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Which latency series it counts in (default `writes`): `reader` and `scoping` are the background reader's, the rest the load's. */
  series?: string;
  /** Answers that mean "try again shortly" (the Temporal server restarting): retried until this long has passed. */
  retry5xxForMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Balancer {
  private next = 0;
  readonly latencies = new Map<string, number[]>();
  failovers = 0;
  retried5xx = 0;

  constructor(private readonly baseUrls: string[]) {}

  async request<T = unknown>(method: string, path: string, o: RequestOptions): Promise<Answer<T>> {
    const started = performance.now();
    const give5xxUpAt = Date.now() + (o.retry5xxForMs ?? 0);
    const giveUpAt = Date.now() + 120_000;
    let lastError = '';
    for (let attempt = 0; ; attempt++) {
      const base = this.baseUrls[this.next++ % this.baseUrls.length];
      let res: Response;
      try {
        res = await fetch(base + path, {
          method,
          headers: {
            authorization: `Bearer ${o.key}`,
            ...(o.body !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}),
            ...o.headers,
          },
          body:
            o.body === undefined ? undefined : o.contentType ? (o.body as string) : JSON.stringify(o.body),
          signal: AbortSignal.timeout(120_000),
        });
      } catch (err) {
        // Refused or reset before an answer: this instance is down or draining; the next one takes it.
        lastError = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
        this.failovers++;
        if (Date.now() > giveUpAt)
          throw new Error(`${method} ${path}: no API instance answered for 120 s (${lastError})`);
        if (attempt % this.baseUrls.length === this.baseUrls.length - 1) await sleep(250);
        continue;
      }
      const text = await res.text();
      if (res.status >= 500 && Date.now() < give5xxUpAt) {
        this.retried5xx++;
        await sleep(1000);
        continue;
      }
      const ms = performance.now() - started;
      const series = o.series ?? 'writes';
      if (!this.latencies.has(series)) this.latencies.set(series, []);
      this.latencies.get(series)!.push(ms);
      let body: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
      return { status: res.status, body: body as T, ms };
    }
  }

  get<T = unknown>(path: string, key: string, series?: string) {
    return this.request<T>('GET', path, { key, series });
  }
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
