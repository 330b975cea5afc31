import express, { type Request, type Response, Router } from 'express';
import { type PageModel, PAGE_STATUS, renderInvitePage } from '../pages/templates';
import { clientKey, RateLimiter } from '../rate-limit';
import type { LinkService, ResolvedLink } from '../usecases/links';

/** Every link response takes at least this long, so a wrong token costs what a right one does. */
const RESPONSE_FLOOR_MS = 60;

export interface PageLimits {
  /** All link requests from one client. */
  requests: RateLimiter;
  /** Unknown tokens from one client: a burst of wrong guesses gets 429 quickly. */
  misses: RateLimiter;
}

export const defaultPageLimits = (): PageLimits => ({
  requests: new RateLimiter(60, 1),
  misses: new RateLimiter(10, 0.1),
});

/** The recipient pages: `/i/<token>`, plain HTML, no login. */
export function pageRoutes({
  links,
  limits = defaultPageLimits(),
}: {
  links: LinkService;
  limits?: PageLimits;
}): Router {
  const router = Router();
  router.use('/i', express.urlencoded({ extended: false, limit: '10kb' }), express.json({ limit: '10kb' }));

  const handle =
    (act: (token: string, req: Request) => Promise<ResolvedLink>, after: 'render' | 'redirect') =>
    async (req: Request, res: Response) => {
      const started = Date.now();
      const key = clientKey(req);
      res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });
      if (!limits.misses.allows(key) || !limits.requests.take(key)) {
        const retry = Math.max(limits.misses.retryAfter(key), limits.requests.retryAfter(key));
        await floor(started);
        res.status(429).set('Retry-After', String(retry)).type('html').send(tooManyRequests(retry));
        return;
      }
      const token = String(req.params.token);
      const link = await act(token, req);
      if (link.verdict.state === 'not_found') limits.misses.take(key);
      await floor(started);
      if (after === 'redirect' && link.verdict.state === 'ready') {
        res.redirect(303, `/i/${encodeURIComponent(token)}`);
        return;
      }
      const model = toModel(link, token);
      res.status(PAGE_STATUS[model.state]).type('html').send(renderInvitePage(model));
    };

  router.get(
    '/i/:token',
    handle((token) => links.view(token), 'render'),
  );
  router.post(
    '/i/:token/start',
    handle((token) => links.start(token), 'redirect'),
  );
  router.post(
    '/i/:token/complete',
    handle((token, req) => {
      const order = typeof req.body?.order === 'string' ? req.body.order.trim().slice(0, 100) : '';
      return links.complete(token, order || null);
    }, 'redirect'),
  );
  return router;
}

function toModel({ verdict, invite, campaign }: ResolvedLink, token: string): PageModel {
  return {
    state: verdict.state,
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
