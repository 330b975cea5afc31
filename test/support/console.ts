import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page, Request } from 'playwright-core';
import { eventually } from './stack';

/** The two widths the console must work at without horizontal scrolling. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** One request the page made, as the browser saw it. */
export interface SeenRequest {
  url: string;
  origin: string;
  method: string;
  /**
   * When the browser sent it (ms since epoch): its own start time once it has ended, until then
   * `Date.now()` when the test heard of it (a little later).
   */
  at: number;
  authorization: string | undefined;
}

/** A browser context of its own (fresh storage, own permissions) with the console open in it. */
export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
  /** Every request any page of the context made, in order. */
  requests: SeenRequest[];
  /** The HTTP status and headers of the document that answered `/console`. */
  document: { status: number; headers: Record<string, string> };
  /** Requests to the public API (`/v1/…`) made since `since` (ms since epoch). */
  apiRequestsSince(since: number): SeenRequest[];
  /**
   * Resolves once no request the page has sent is in flight (each one answered or failed), with
   * `Date.now()` when the last one ended: what a poller counts its next interval from.
   */
  settled(): Promise<number>;
  close(): Promise<void>;
}

export async function openConsole(
  browser: Browser,
  baseUrl: string,
  {
    viewport = DESKTOP,
    clipboard = false,
    at = '/console',
  }: {
    viewport?: { width: number; height: number };
    clipboard?: boolean;
    /** The address opened first (path, query and fragment), as a link in an email would open it. */
    at?: string;
  } = {},
): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport });
  // A screen that does not show what the test waits for fails in seconds, not at jest's limit.
  context.setDefaultTimeout(15_000);
  if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const requests: SeenRequest[] = [];
  const inFlight = new Map<Request, SeenRequest>();
  let lastEndedAt = Date.now();
  const ended = (request: Request) => {
    const seen = inFlight.get(request);
    if (!seen) return;
    inFlight.delete(request);
    lastEndedAt = Date.now();
    const { startTime } = request.timing();
    if (startTime > 0) seen.at = startTime;
  };
  context.on('requestfinished', ended);
  context.on('requestfailed', ended);
  context.on('request', (request) => {
    const url = request.url();
    const seen: SeenRequest = {
      url,
      origin: /^https?:/.test(url) ? new URL(url).origin : url.split(':')[0],
      method: request.method(),
      at: Date.now(),
      authorization: request.headers().authorization,
    };
    requests.push(seen);
    inFlight.set(request, seen);
  });
  const page = await context.newPage();
  const response = await page.goto(`${baseUrl}${at}`);
  if (!response) throw new Error(`no response for ${at}`);
  return {
    context,
    page,
    requests,
    document: { status: response.status(), headers: await response.allHeaders() },
    apiRequestsSince: (since) =>
      requests.filter((r) => r.at >= since && new URL(r.url, baseUrl).pathname.startsWith('/v1/')),
    settled: async () => {
      // A round trip to the page first: the events of requests it sent before are in by then.
      await page.evaluate('0');
      return eventually(async () => (inFlight.size === 0 ? lastEndedAt : undefined));
    },
    close: () => context.close(),
  };
}

/** Signs in as a person would: the API key in its labelled field, then the button. */
export async function signIn(page: Page, key: string): Promise<void> {
  const field = page.getByLabel('API key');
  await field.waitFor({ timeout: 10_000 }).catch(async (err: Error) => {
    // Say what the page showed instead: a stale build, an error page…
    const shown = await page
      .locator('body')
      .innerText()
      .catch(() => '(unreadable)');
    throw new Error(`${err.message}\nthe page at ${page.url()} showed: ${shown.slice(0, 500)}`);
  });
  await field.fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Makes the tab look hidden (or visible again) to the page, as switching tabs does:
 * `document.visibilityState`/`hidden` answer accordingly and `visibilitychange` fires.
 * Headless Chromium never hides a page by itself, so the test says it instead.
 */
export async function setTabHidden(page: Page, hidden: boolean): Promise<number> {
  // A string, not a function: the page must not depend on how the test runner compiled it.
  // Answers the page's `Date.now()` from which the page sees the new state.
  return page.evaluate<number>(
    hidden
      ? `(() => {
           Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
           Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
           const at = Date.now();
           document.dispatchEvent(new Event('visibilitychange'));
           return at;
         })()`
      : // Back to the prototype's getters: the real (visible) state.
        `(() => {
           delete document.visibilityState;
           delete document.hidden;
           const at = Date.now();
           document.dispatchEvent(new Event('visibilitychange'));
           return at;
         })()`,
  );
}

/** How far the page is wider than the window (0 when there is no horizontal scroll). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * With RECORD_SCREENSHOTS=1, writes the whole page (or one part of it) as
 * `docs/console/<name>.png` for the README.
 */
export async function recordScreenshot(what: Page | Locator, name: string): Promise<void> {
  if (!process.env.RECORD_SCREENSHOTS) return;
  const dir = path.join(__dirname, '..', '..', 'docs', 'console');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  if ('goto' in what) await what.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  else await what.screenshot({ path: file, animations: 'disabled' });
}

/** A page URL on this test's server (links carry PUBLIC_BASE_URL, the configured address). */
export const onServer = (baseUrl: string, url: string): string => `${baseUrl}${new URL(url).pathname}`;

/** Whether a marker set on `window` survived: the page was not reloaded or navigated away. */
export async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate('window.heraldTestMark = true');
  return () => page.evaluate<boolean>('window.heraldTestMark === true');
}
