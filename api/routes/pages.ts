import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import { landingRedirect } from '../../domain/landing';
import { wasErased } from '../../domain/link';
import {
  PAGE_CSP,
  pageCsp,
  type PageModel,
  PAGE_STATUS,
  renderEmailCheckPage,
  renderInvitePage,
} from '../pages/templates';
import { CompleteForm, EmailAnswerForm } from '../pages/forms';
import { isPathDecodeError } from '../percent-encoding';
import { clientKey, RateLimiter } from '../rate-limit';
import type { LinkService, ResolvedLink } from '../usecases/links';

/** Every link response takes at least this long, so a wrong token costs what a right one does. */
const RESPONSE_FLOOR_MS = 60;

/** Proof that this browser answered a link's email question (LinkService.provesMatch). */
const MATCH_COOKIE = 'herald_match';

export interface PageLimits {
  /** All link requests from one client. */
  requests: RateLimiter;
  /** Unknown tokens from one client: a burst of wrong guesses gets 429 quickly. */
  misses: RateLimiter;
  /**
   * Wrong answers to a link's email question, per link (whoever types them): a few tries,
   * then one every few minutes, so an address cannot be guessed from a list.
   */
  emailAnswers: RateLimiter;
}

export const defaultPageLimits = (): PageLimits => ({
  requests: new RateLimiter(60, 1),
  misses: new RateLimiter(10, 0.1),
  emailAnswers: new RateLimiter(5, 1 / 300),
});

/** One request to a link, after the limits: what it answers. */
type Answer =
  | { kind: 'page'; link: ResolvedLink }
  | { kind: 'redirect'; location: string; cookie?: string }
  | { kind: 'html'; status: number; html: string; headers?: Record<string, string> };

/**
 * The recipient pages: `/i/<token>`, plain HTML, no login. With the campaign's `landingUrl`,
 * a ready link sends the recipient there instead (303, with `herald_token`); with
 * `requireEmailMatch`, a ready link first asks for the invite's address, and remembers a right
 * answer in a signed cookie scoped to the link's own path.
 */
export function pageRoutes({
  links,
  limits = defaultPageLimits(),
  secureCookies = false,
}: {
  links: LinkService;
  limits?: Partial<PageLimits>;
  /** Mark the match cookie Secure (the public URL is https). */
  secureCookies?: boolean;
}): Router {
  const limit: PageLimits = { ...defaultPageLimits(), ...limits };
  const router = Router();
  router.use('/i', pageHeaders);
  router.use('/i', express.urlencoded({ extended: false, limit: '10kb' }), express.json({ limit: '10kb' }));

  const handle =
    (act: (token: string, req: Request) => Promise<Answer>) => async (req: Request, res: Response) => {
      const started = Date.now();
      const key = clientKey(req);
      if (!limit.misses.allows(key) || !limit.requests.take(key)) {
        const retry = Math.max(limit.misses.retryAfter(key), limit.requests.retryAfter(key));
        await floor(started);
        res.status(429).set('Retry-After', String(retry)).type('html').send(tooManyRequests(retry));
        return;
      }
      const token = String(req.params.token);
      const answer = await act(token, req);
      if (answer.kind === 'page' && answer.link.verdict.state === 'not_found') limit.misses.take(key);
      await floor(started);
      if (answer.kind === 'redirect') {
        if (answer.cookie) res.append('Set-Cookie', answer.cookie);
        res.redirect(303, answer.location);
        return;
      }
      if (answer.kind === 'html') {
        if (answer.headers) res.set(answer.headers);
        res.status(answer.status).type('html').send(answer.html);
        return;
      }
      const model = toModel(answer.link, token);
      res.set('Content-Security-Policy', pageCsp(answer.link.campaign?.landingUrl));
      res.status(PAGE_STATUS[model.state]).type('html').send(renderInvitePage(model));
    };

  const self = (token: string) => `/i/${encodeURIComponent(token)}`;
  /** A ready link that asks for the address and has no proof from this browser: the question. */
  const unproven = (link: ResolvedLink, req: Request) =>
    link.verdict.state === 'ready' &&
    links.asksForEmail(link) &&
    !links.provesMatch(link, cookieOf(req, MATCH_COOKIE));
  const question = (
    link: ResolvedLink,
    token: string,
    status = 200,
    extra: { wrong?: boolean; retryAfterSeconds?: number } = {},
  ): Answer => ({
    kind: 'html',
    status,
    html: renderEmailCheckPage({ campaignName: link.campaign?.name, token, ...extra }),
    headers: {
      'Content-Security-Policy': pageCsp(link.campaign?.landingUrl),
      ...(extra.retryAfterSeconds ? { 'Retry-After': String(extra.retryAfterSeconds) } : {}),
    },
  });

  router.get(
    '/i/:token',
    handle(async (token, req) => {
      const link = await links.resolve(token);
      if (unproven(link, req)) return question(link, token);
      // HEAD (Express answers it with this GET) and scanners' fetches are counted apart.
      await links.viewed(link, { method: req.method, userAgent: req.get('user-agent') });
      if (link.verdict.state === 'ready' && link.campaign?.landingUrl)
        return { kind: 'redirect', location: landingRedirect(link.campaign.landingUrl, token) };
      return { kind: 'page', link };
    }),
  );
  router.post(
    '/i/:token/email',
    handle(async (token, req) => {
      const link = await links.resolve(token);
      if (link.verdict.state === 'not_found') return { kind: 'page', link }; // counts as a miss
      // Nothing to answer (not ready, or no question): the link's own page says why.
      if (!unproven(link, req)) return { kind: 'redirect', location: self(token) };
      if (!limit.emailAnswers.allows(token)) {
        const retry = limit.emailAnswers.retryAfter(token);
        return question(link, token, 429, { retryAfterSeconds: retry });
      }
      const { email } = EmailAnswerForm.parse(req.body);
      const { answer, proof } = await links.answerEmail(link, email);
      if (answer === 'wrong') {
        limit.emailAnswers.take(token);
        return question(link, token, 403, { wrong: true });
      }
      return {
        kind: 'redirect',
        location: self(token),
        cookie: matchCookie(proof!, self(token), secureCookies),
      };
    }),
  );
  router.post(
    '/i/:token/start',
    handle(async (token, req) => {
      const link = await links.resolve(token);
      if (unproven(link, req)) return question(link, token);
      const started = await links.start(token);
      return started.verdict.state === 'ready'
        ? { kind: 'redirect', location: self(token) }
        : { kind: 'page', link: started };
    }),
  );
  router.post(
    '/i/:token/complete',
    handle(async (token, req) => {
      const link = await links.resolve(token);
      if (unproven(link, req)) return question(link, token);
      const { order } = CompleteForm.parse(req.body);
      const done = await links.complete(token, order || null);
      return done.verdict.state === 'ready'
        ? { kind: 'redirect', location: self(token) }
        : { kind: 'page', link: done };
    }),
  );
  // Any other path under /i, and a link whose path cannot even be decoded (cut short or
  // mangled in transit): to the person holding it, a link that is not there.
  router.all(['/i', '/i/{*rest}'], linkNotFound);
  router.use('/i', ((err, req, res, next) => {
    if (isPathDecodeError(err)) linkNotFound(req, res);
    else next(err);
  }) as ErrorRequestHandler);
  return router;
}

/**
 * On every answer under /i, its error pages included. The URL holds the recipient's token,
 * so no Referer may carry it to another site (the landing page gets it in its query, by
 * design), and no cache or index may keep it.
 */
export const pageHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Robots-Tag': 'noindex',
  });
  next();
};

const linkNotFound = (_req: Request, res: Response) => {
  res
    .status(PAGE_STATUS.not_found)
    .type('html')
    .send(renderInvitePage({ state: 'not_found' }));
};

/**
 * HttpOnly (no script reads it), SameSite=Lax (sent when the recipient follows the link from
 * their mail, not on cross-site posts), scoped to this link's path, for the browser session.
 */
function matchCookie(proof: string, path: string, secure: boolean): string {
  return `${MATCH_COOKIE}=${proof}; Path=${path}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function toModel({ verdict, invite, campaign }: ResolvedLink, token: string): PageModel {
  return {
    state: invite && wasErased(invite) ? 'erased' : verdict.state,
    campaignName: campaign?.name,
    campaignDescription: campaign?.description ?? null,
    recipientName: invite?.name ?? null,
    token,
    journey: invite?.journey,
    startsAt: campaign?.startAt?.toISOString() ?? null,
  };
}

async function floor(started: number): Promise<void> {
  const left = RESPONSE_FLOOR_MS - (Date.now() - started);
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

const tooManyRequests = (seconds: number) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many requests</title><meta name="robots" content="noindex"></head>` +
  `<body><main><h1>Too many requests</h1><p>Please wait ${seconds} seconds and try again.</p></main></body></html>`;
