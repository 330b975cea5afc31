import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { renderInvitation } from '../../email/templates';
import { notFoundRoute } from '../problem-json';

/** Where `vite build console` (the `prepare` script, so every `npm install`) writes the console. */
export const CONSOLE_DIST = path.join(__dirname, '..', '..', 'console', 'dist');

/**
 * The campaign page's Preview shows the invitation in a sandboxed `<iframe srcdoc>` (no
 * script, no same origin), which inherits this policy: the email's inline `style` attributes
 * — the fixed set email/templates.ts writes, read here from an invitation rendered with every
 * part — are allowed by their hashes (`'unsafe-hashes'`), and no other inline style is.
 */
function emailStyleHashes(): string[] {
  const { html } = renderInvitation({
    campaignName: 'c',
    description: 'd',
    recipientName: 'r',
    url: 'https://herald.invalid/i/t',
    fromName: 'f',
    expiresAt: new Date(Date.UTC(2100, 0, 1)),
    now: new Date(Date.UTC(2000, 0, 1)),
    kind: 'invitation',
    event: { title: 't', startsAt: '2100-01-01T00:00:00Z', durationMinutes: 60, location: 'l' },
    unsubscribeUrl: 'https://herald.invalid/u/t',
  });
  const styles = new Set([...html.matchAll(/ style="([^"]*)"/g)].map((m) => m[1]));
  return [...styles].map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
}

/**
 * The console is Herald's own files only: no inline script or style, no other origin, never
 * framed. Its API key lives in the page's memory and sessionStorage, so a script injected from
 * anywhere would be the one way to steal it: this policy is that door shut.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' 'unsafe-hashes' ${emailStyleHashes().join(' ')}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONSOLE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
  next();
};

const notBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Herald console not built</title></head>
<body><h1>The Herald console is not built yet</h1>
<p>Build it with <code>npm run console:build</code> (<code>npm install</code> also builds it), then reload this page.</p>
</body></html>
`;

/**
 * `/console`: the built single-page app. Hashed assets are cached for good; any other path
 * under /console is a screen of the app, so it gets index.html (never cached, so a new build
 * is picked up at the next load).
 */
export function consoleRoutes(dist = CONSOLE_DIST): Router {
  const router = Router();
  router.use('/console', securityHeaders);
  router.use(
    '/console/assets',
    express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d' }),
    notFoundRoute, // a stale asset name is a 404, never index.html served as a script
  );
  router.use('/console', express.static(dist, { index: false, redirect: false }));
  router.get(['/console', '/console/{*screen}'], (_req, res) => {
    const index = path.join(dist, 'index.html');
    res.set('Cache-Control', 'no-cache');
    if (!fs.existsSync(index)) {
      res.status(503).type('html').send(notBuilt);
      return;
    }
    res.type('html').sendFile(index);
  });
  return router;
}
