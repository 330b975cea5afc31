import { chromium, type Browser, type Page } from 'playwright-core';
import { resolveChromium } from '../../scripts/chromium';

/** The Chromium global setup found or installed (a file run outside jest only looks for one). */
const executablePath = () => process.env.HERALD_TEST_CHROMIUM ?? resolveChromium({ allowInstall: false });

/** Chromium, headless, with background traffic switched off so tests stay local. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: executablePath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface OpenedPage {
  /** HTTP status of the main document response. */
  status: number;
  title: string;
  /** innerText of the page's `<h1>`. */
  heading: string;
  /** innerText of the `<main>` landmark, as a person would read it. */
  text: string;
  /** The open page, in its own context; the caller closes it with `page.close()`. */
  page: Page;
}

/** Opens `url` in a fresh page and reads what a person would see. */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage();
  try {
    const response = await page.goto(url, { waitUntil: 'domcontentloaded' });
    if (!response) throw new Error(`No response for ${url}`);
    const [title, heading, text] = await Promise.all([
      page.title(),
      page.locator('h1').innerText(),
      page.locator('main').innerText(),
    ]);
    return { status: response.status(), title, heading, text, page };
  } catch (err) {
    await page.close();
    throw err;
  }
}
