import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import express from 'express';
import type { Browser } from 'playwright-core';
import { createApp } from '../api/app';
import { launchBrowser } from '../test/support/browser';
import { benchDatabase, fmt, progress } from './support';

/**
 * bench/console: what a first visit to /console costs. The JavaScript the page loads (raw
 * and gzipped; goal < 200 KB gzipped) and the time from navigation to the sign-in form on
 * screen, in headless Chromium with a cold cache, against a baseline served by the same
 * process: a static page holding the same form and no script.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const BASELINE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline</title></head>
<body><main><h1>Sign in</h1><form><label>API key <input type="password" name="key"></label>
<button>Sign in</button></form></main></body></html>`;

interface Load {
  /** Wall clock, as the test driver sees it: navigation started → the form is visible. */
  ms: number;
  /** The browser's own clock from navigation start to the largest contentful paint. */
  lcp: number;
  /** Every script the page loaded: URL → bytes as served. */
  scripts: Map<string, Buffer>;
}

async function firstLoad(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const scripts = new Map<string, Buffer>();
  const bodies: Promise<void>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script')
      bodies.push(response.body().then((b) => void scripts.set(response.url(), b)));
  });
  try {
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.getByLabel('API key').waitFor({ state: 'visible' });
    const ms = performance.now() - started;
    const lcp = await page.evaluate<number>(`new Promise((resolve) => {
      new PerformanceObserver((list) => {
        const all = list.getEntries();
        resolve(all[all.length - 1].startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    })`);
    await Promise.all(bodies);
    return { ms, lcp, scripts };
  } finally {
    await context.close();
  }
}

/** Every JavaScript file of the build (`vite build console`), loaded at first or later. */
function builtJavaScript(): Buffer[] {
  const assets = path.join(__dirname, '..', 'console', 'dist', 'assets');
  if (!fs.existsSync(assets)) throw new Error(`${assets} is missing: run \`npm run console:build\` first`);
  return fs
    .readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => fs.readFileSync(path.join(assets, f)));
}

const gzipped = (files: Buffer[]) => files.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
const rawSize = (files: Buffer[]) => files.reduce((n, b) => n + b.length, 0);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;

export async function runConsoleBench(): Promise<string> {
  const { config, db, cleanup } = await benchDatabase();
  // Loading the console never talks to Temporal: a lazy client that is never used.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const outer = express();
  outer.get('/baseline', (_req, res) => void res.type('html').send(BASELINE));
  outer.use(createApp({ db, temporal, config }));
  const server = outer.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    // One warm-up each, so neither side pays for the browser's own start.
    await firstLoad(browser, `${base}/baseline`);
    const first = await firstLoad(browser, `${base}/console`);
    const consoleLoads: Load[] = [];
    const baselineLoads: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so a slow moment of the machine lands on both.
      consoleLoads.push(await firstLoad(browser, `${base}/console`));
      baselineLoads.push(await firstLoad(browser, `${base}/baseline`));
    }
    const consoleMs = consoleLoads.map((l) => l.ms);
    const baselineMs = baselineLoads.map((l) => l.ms);
    const paint = (loads: Load[]) => `${fmt(median(loads.map((l) => l.lcp)), 0)} ms`;
    const loaded = [...first.scripts.values()];
    const built = builtJavaScript();
    progress(`scripts: ${[...first.scripts.keys()].map((u) => new URL(u).pathname).join(', ')}`);
    const c = median(consoleMs);
    const b = median(baselineMs);
    return [
      '| measure | console | baseline (static page, same form, no script) |',
      '| --- | --- | --- |',
      `| JavaScript on first load | ${loaded.length} file(s), ${kb(rawSize(loaded))} raw, **${kb(gzipped(loaded))} gzipped** | none |`,
      `| JavaScript in the whole build | ${built.length} file(s), ${kb(rawSize(built))} raw, ${kb(gzipped(built))} gzipped | |`,
      `| navigation → sign-in form visible, median of ${RUNS} cold loads | **${fmt(c, 0)} ms** (${fmt(Math.min(...consoleMs), 0)}–${fmt(Math.max(...consoleMs), 0)}) | ${fmt(b, 0)} ms (${fmt(Math.min(...baselineMs), 0)}–${fmt(Math.max(...baselineMs), 0)}) |`,
      `| largest contentful paint, browser's clock (median) | ${paint(consoleLoads)} | ${paint(baselineLoads)} |`,
      `| console − baseline (form visible) | ${fmt(c - b, 0)} ms | |`,
    ].join('\n');
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
    await temporal.connection.close();
    await cleanup();
  }
}
