/**
 * The pages a recipient sees at their private link `/i/<token>`.
 *
 * Pure functions: a model in, a complete HTML document out. No I/O, no client-side script;
 * every action is a plain `<form method="post">`, so the page works with JavaScript off.
 * The URL carries a secret token, so pages ask not to be indexed and not to send a Referer,
 * and the token is only ever written into form actions (never into visible text or the title).
 */

import { createHash } from 'node:crypto';
import { escapeHtml, formatInstant } from '../../domain/format';
export type PageState = 'ready' | 'expired' | 'erased' | 'completed' | 'not_open' | 'not_found';

export interface PageModel {
  state: PageState;
  campaignName?: string;
  campaignDescription?: string | null;
  recipientName?: string | null;
  token?: string;
  /** The recipient's progress; `'started'` swaps the Start button for the Complete form. */
  journey?: string;
  /** ISO 8601 instant the invitation opens (used by `not_open`). */
  startsAt?: string | null;
}

/** HTTP status each page is served with. */
export const PAGE_STATUS: Record<PageState, number> = Object.freeze({
  ready: 200,
  expired: 410,
  erased: 410,
  completed: 200,
  not_open: 200,
  not_found: 404,
});

export { escapeHtml };

/** "1 December 2026, 09:00 UTC", or null when the input is not a valid date. */
function formatUtc(iso: string): string | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : formatInstant(date);
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function actionUrl(token: string, action: 'start' | 'complete' | 'email'): string {
  return `/i/${encodeURIComponent(token)}/${action}`;
}

const STYLE = `
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body {
    margin: 0;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    font-size: 1.0625rem;
    line-height: 1.55;
    color: #1a1a1a;
    background: #f4f5f7;
  }
  main {
    max-width: 36rem;
    margin: 3rem auto;
    padding: 2rem 1.75rem;
    background: #ffffff;
    border: 1px solid #d9dce1;
    border-radius: 0.75rem;
  }
  @media (max-width: 38rem) {
    main { margin: 0; border: 0; border-radius: 0; min-height: 100vh; }
  }
  .campaign { margin: 0 0 0.25rem; color: #4a5160; font-size: 0.9375rem; font-weight: 600; }
  h1 { margin: 0 0 1rem; font-size: 1.75rem; line-height: 1.25; }
  p { margin: 0 0 1rem; }
  .description { white-space: pre-line; }
  .hint { color: #4a5160; }
  .error { color: #b91c1c; font-weight: 600; }
  form { margin: 1.5rem 0 0; }
  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  .field-hint { display: block; color: #4a5160; font-size: 0.9375rem; margin-bottom: 0.5rem; }
  input[type="text"], input[type="email"] {
    display: block;
    width: 100%;
    font: inherit;
    padding: 0.5rem 0.75rem;
    margin-bottom: 1rem;
    color: #1a1a1a;
    background: #ffffff;
    border: 1px solid #6b7280;
    border-radius: 0.375rem;
  }
  button {
    font: inherit;
    font-weight: 600;
    padding: 0.625rem 1.5rem;
    color: #ffffff;
    background: #1d4ed8;
    border: 0;
    border-radius: 0.375rem;
    cursor: pointer;
  }
  button:hover { background: #1e40af; }
  input:focus-visible, button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
`;

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/**
 * What the pages may load: nothing but their own inline stylesheet (allowed by its hash, so
 * no other inline style or script can run), forms that post back here, and no framing, so
 * no other site can dress a recipient's page up and have them click Start or Complete in it.
 * The policy also covers the error pages and the 429, which have no style at all.
 */
export function pageCsp(landingUrl?: string | null): string {
  return [
    "default-src 'none'",
    `style-src '${STYLE_HASH}'`,
    // A form posts here, and with a landing page a ready link's answer redirects there;
    // browsers hold a form's whole redirect chain to this directive.
    `form-action 'self'${landingUrl && URL.canParse(landingUrl) ? ` ${new URL(landingUrl).origin}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
export const PAGE_CSP = pageCsp();

export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function campaignIntro(model: PageModel): string {
  return present(model.campaignName) ? `<p class="campaign">${escapeHtml(model.campaignName)}</p>\n` : '';
}

function description(model: PageModel): string {
  return present(model.campaignDescription)
    ? `<p class="description">${escapeHtml(model.campaignDescription)}</p>\n`
    : '';
}

function titleFor(heading: string, model: PageModel): string {
  return present(model.campaignName) ? `${heading} · ${model.campaignName}` : heading;
}

function renderReady(model: PageModel): string {
  const heading = present(model.campaignName) ? model.campaignName : 'Your invitation';
  const greeting = present(model.recipientName) ? `Hi ${escapeHtml(model.recipientName.trim())},` : 'Hello,';
  const token = model.token;
  let action = '';
  if (present(token)) {
    action =
      model.journey === 'started'
        ? `<form method="post" action="${escapeHtml(actionUrl(token, 'complete'))}">
<label for="order">Order reference</label>
<span class="field-hint" id="order-hint">Optional.</span>
<input type="text" id="order" name="order" autocomplete="off" aria-describedby="order-hint">
<button type="submit">Complete</button>
</form>`
        : `<form method="post" action="${escapeHtml(actionUrl(token, 'start'))}">
<button type="submit">Start</button>
</form>`;
  }
  return htmlDocument(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p>${greeting}</p>
${description(model)}${action}`,
  );
}

interface Line {
  html: string;
  hint?: boolean;
}

function renderMessage(model: PageModel, heading: string, lines: Line[]): string {
  const showCampaign = model.state !== 'not_found';
  const paragraphs = lines.map((line) =>
    line.hint ? `<p class="hint">${line.html}</p>` : `<p>${line.html}</p>`,
  );
  return htmlDocument(
    showCampaign ? titleFor(heading, model) : heading,
    `${showCampaign ? campaignIntro(model) : ''}<h1>${escapeHtml(heading)}</h1>
${paragraphs.join('\n')}
${showCampaign ? description(model) : ''}`,
  );
}

/** A complete HTML document for the invite page in the given state. */
export function renderInvitePage(model: PageModel): string {
  switch (model.state) {
    case 'ready':
      return renderReady(model);
    case 'expired':
      return renderMessage(model, 'Link Expired', [
        { html: 'This invitation link is no longer valid.' },
        { html: 'If you still need it, please contact the person who sent you this invitation.', hint: true },
      ]);
    case 'erased':
      return renderMessage(model, 'Invitation withdrawn', [
        { html: 'This invitation was withdrawn: the personal details it held have been erased.' },
        { html: 'If you still need it, please contact the person who sent you this invitation.', hint: true },
      ]);
    case 'completed':
      return renderMessage(model, 'Already Completed', [
        { html: 'You have already completed this invitation.' },
      ]);
    case 'not_open': {
      const opensAt = present(model.startsAt) ? formatUtc(model.startsAt) : null;
      return renderMessage(
        model,
        'Not open yet',
        opensAt
          ? [
              { html: `This invitation opens on ${escapeHtml(opensAt)}.` },
              { html: 'Please come back then using the same link.', hint: true },
            ]
          : [{ html: 'This invitation is not open yet.' }],
      );
    }
    default:
      // 'not_found', and anything unexpected from untyped callers.
      return renderMessage({ state: 'not_found' }, 'Link not found', [
        { html: 'We couldn&#39;t find this invitation link. Check that you copied the whole link.' },
      ]);
  }
}

export interface EmailCheckModel {
  campaignName?: string;
  token: string;
  /** The last answer did not match (said without repeating what was typed). */
  wrong?: boolean;
  /** Too many wrong answers: the form is refused for this many seconds. */
  retryAfterSeconds?: number;
}

/**
 * A campaign with `requireEmailMatch` asks who is at the link before it opens. The page names
 * the campaign only: never the recipient, never the address (not even the one typed).
 */
export function renderEmailCheckPage(model: EmailCheckModel): string {
  const heading = present(model.campaignName) ? model.campaignName : 'Your invitation';
  const status = model.retryAfterSeconds
    ? `<p class="error" role="alert">Too many attempts. Please wait ${model.retryAfterSeconds} seconds and try again.</p>\n`
    : model.wrong
      ? `<p class="error" role="alert">That address does not match this invitation. Check it and try again.</p>\n`
      : '';
  return htmlDocument(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p>This invitation is for one person. To open it, enter the email address it was sent to.</p>
${status}<form method="post" action="${escapeHtml(actionUrl(model.token, 'email'))}">
<label for="email">Your email address</label>
<input type="email" id="email" name="email" autocomplete="email" required>
<button type="submit">Continue</button>
</form>`,
  );
}

export type UnsubscribePageModel =
  | { state: 'ask'; token: string; senderName: string }
  | { state: 'done'; senderName: string }
  | { state: 'not_found' }
  | { state: 'bad_request' };

/** HTTP status each unsubscribe page is served with. */
export const UNSUBSCRIBE_PAGE_STATUS = { ask: 200, done: 200, not_found: 404, bad_request: 400 } as const;

/**
 * `/u/<token>`: the page a person reaches from the unsubscribe link. Asking is a button that
 * posts (a link scanner's GET changes nothing); the answer says it is done. Neither names the
 * address.
 */
export function renderUnsubscribePage(model: UnsubscribePageModel): string {
  switch (model.state) {
    case 'ask':
      return htmlDocument(
        'Unsubscribe',
        `<h1>Unsubscribe</h1>
<p>Stop receiving emails like this one from ${escapeHtml(model.senderName)}?</p>
<form method="post" action="/u/${escapeHtml(encodeURIComponent(model.token))}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<input type="hidden" name="via" value="page">
<button type="submit">Unsubscribe</button>
</form>`,
      );
    case 'done':
      return htmlDocument(
        'Unsubscribed',
        `<h1>You are unsubscribed</h1>
<p>${escapeHtml(model.senderName)} will send you no more emails like this one.</p>
<p class="hint">If this was a mistake, please contact them.</p>`,
      );
    case 'bad_request':
      return htmlDocument(
        'Unsubscribe',
        `<h1>Unsubscribe</h1>
<p>This request did not ask to unsubscribe (it needs <code>List-Unsubscribe=One-Click</code>). Open the link in your email to use the button.</p>`,
      );
    default:
      return htmlDocument(
        'Link not found',
        `<h1>Link not found</h1>
<p>We couldn&#39;t find this unsubscribe link. Check that you copied the whole link.</p>`,
      );
  }
}

/** Whose email carried the link: a preview in the console, or a test send. */
export type SampleKind = 'preview' | 'test';

/**
 * `/p/preview`, `/p/test` and their `/unsubscribe`: where a preview's or a test email's links
 * go instead of an invite's. Harmless by construction: they read nothing and change nothing,
 * whoever opens or posts to them.
 */
export function renderSamplePage(kind: SampleKind, link: 'invite' | 'unsubscribe'): string {
  const what = kind === 'test' ? 'a test email' : 'a preview';
  const heading = kind === 'test' ? 'This is a test' : 'This is a preview';
  const lines =
    link === 'invite'
      ? [
          `You opened the invitation link of ${what}.`,
          "Each recipient's email carries their own private link here instead, which opens their invitation.",
        ]
      : [
          `You opened the unsubscribe link of ${what}: nothing was unsubscribed.`,
          "Each recipient's email carries their own one-click unsubscribe link here instead.",
        ];
  return htmlDocument(
    heading,
    `<h1>${heading}</h1>\n${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}`,
  );
}
