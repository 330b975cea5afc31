/**
 * Email bodies: invitations to recipients, summaries and alerts to campaign owners.
 * Pure: no I/O, no clock, no locale (same output on every machine for the same input).
 * Every value interpolated into HTML is escaped; the text part carries the same content in plain form.
 */
import type { ConsoleLinks } from '../domain/console-links';
import { escapeHtml, formatInstant } from '../domain/format';
import type { CalendarEvent } from './ical';
import type { SelfPauseReason } from '../domain/campaign';

export interface InvitationContent {
  campaignName: string;
  description: string | null;
  recipientName: string | null;
  url: string;
  /** Overrides the default subject of an invitation or resend. */
  subject?: string | null;
  /** Signs the message when given. */
  fromName?: string | null;
  expiresAt?: Date | null;
  /** When it is rendered: a stated expiry must be later (the templates read no clock). */
  now: Date;
  kind: 'invitation' | 'reminder' | 'resend' | 'calendar_update';
  event?: CalendarEvent | null;
  /** The recipient's one-click unsubscribe page (`/u/<token>`): a visible link at the foot. */
  unsubscribeUrl?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface OwnerSummary {
  campaignName: string;
  campaignId: string;
  sent: number;
  failed: number;
  failures: { email: string; reason: string }[];
  /** Where the owner acts on it: the campaign's page and its failed invites in the console. */
  links: Pick<ConsoleLinks, 'campaign' | 'failedInvites'>;
  /** The pass it sums up: the invitations (default), an "update calendar invites" pass, or the cancellations. */
  pass?:
    | { kind: 'invitations' }
    | { kind: 'calendar_update'; version: number }
    | { kind: 'calendar_cancel'; note?: string };
}

export interface OwnerAlert {
  campaignName: string;
  campaignId: string;
  reason: SelfPauseReason;
  detail: string;
  /** The console's screens each kind of alert leads to. */
  links: Pick<ConsoleLinks, 'campaign' | 'failedInvites' | 'emailSender' | 'sendingPolicy'>;
}

/** The owner summary lists at most this many failed addresses. */
export const MAX_LISTED_FAILURES = 1000;

export { escapeHtml, formatInstant };

/** Subjects are one header line: no CR/LF (header injection), whitespace collapsed. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Escaped, with line breaks kept as `<br>`. */
function htmlText(s: string): string {
  return escapeHtml(s.replace(/\r\n|\r/g, '\n')).replace(/\n/g, '<br>\n');
}

function nonEmpty(s: string | null | undefined): string | null {
  return s != null && s.trim() !== '' ? s.trim() : null;
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const P_STYLE = `margin:0 0 16px 0;${FONT};font-size:16px;line-height:24px;color:#1f2933`;
const SMALL_STYLE = `margin:0 0 12px 0;${FONT};font-size:13px;line-height:20px;color:#52606d`;

function p(innerHtml: string, style = P_STYLE): string {
  return `<p style="${style}">${innerHtml}</p>`;
}

/** A bulletproof button: a table cell with a background, holding a padded link. */
function button(url: string, label: string): string {
  const href = escapeHtml(url);
  return (
    `<table role="presentation" border="0" cellspacing="0" cellpadding="0" style="margin:8px 0 24px 0">` +
    `<tr><td align="center" bgcolor="#2563eb" style="border-radius:6px;background-color:#2563eb">` +
    `<a href="${href}" target="_blank" rel="noopener" ` +
    `style="display:inline-block;padding:12px 24px;${FONT};font-size:16px;font-weight:bold;` +
    `line-height:20px;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(label)}</a>` +
    `</td></tr></table>`
  );
}

/** The outer document: a centred 600px table, as email clients expect. */
function layout(title: string, bodyHtml: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#f5f7fa">',
    '<table role="presentation" width="100%" border="0" cellspacing="0" cellpadding="0" style="background-color:#f5f7fa">',
    '<tr><td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="600" border="0" cellspacing="0" cellpadding="0" ' +
      'style="max-width:600px;width:100%;background-color:#ffffff;border-radius:8px">',
    '<tr><td style="padding:32px">',
    bodyHtml,
    '</td></tr>',
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function eventLines(event: CalendarEvent): { when: string; where: string | null } {
  const start = new Date(event.startsAt);
  const when = Number.isNaN(start.getTime())
    ? event.startsAt
    : `${formatInstant(start)} (${event.durationMinutes} minutes)`;
  return { when, where: nonEmpty(event.location) };
}

function invitationSubject(c: InvitationContent): string {
  switch (c.kind) {
    case 'invitation':
    case 'resend':
      return nonEmpty(c.subject) ?? `You're invited: ${c.campaignName}`;
    case 'reminder':
      return `Reminder: your invitation to ${c.campaignName} expires soon`;
    case 'calendar_update':
      return `Updated: ${nonEmpty(c.event?.title) ?? c.campaignName}`;
  }
}

function invitationLead(c: InvitationContent): string {
  switch (c.kind) {
    case 'invitation':
    case 'resend':
      return `You're invited to ${c.campaignName}.`;
    case 'reminder':
      return `A reminder: your invitation to ${c.campaignName} expires soon.`;
    case 'calendar_update':
      return `The details of ${nonEmpty(c.event?.title) ?? c.campaignName} have changed.`;
  }
}

/**
 * An email that states an expiry already past carries a dead link: a bug upstream, refused
 * here rather than sent. A RangeError, so the activity that rendered it fails without retries
 * (activities/errors.ts): the same data would be refused again.
 */
export class PastExpiryError extends RangeError {
  constructor(expiresAt: Date, now: Date) {
    super(
      `refusing to render an email whose link expired at ${expiresAt.toISOString()} (now ${now.toISOString()}): it would state a past expiry`,
    );
    this.name = 'PastExpiryError';
  }
}

export function renderInvitation(c: InvitationContent): RenderedEmail {
  if (c.expiresAt && c.expiresAt.getTime() <= c.now.getTime()) throw new PastExpiryError(c.expiresAt, c.now);
  const subject = oneLine(invitationSubject(c));
  const name = nonEmpty(c.recipientName);
  const greeting = name ? `Hi ${oneLine(name)},` : 'Hello,';
  const lead = invitationLead(c);
  const description = nonEmpty(c.description);
  const event = c.event ? eventLines(c.event) : null;
  const expiry = c.expiresAt ? `This link expires on ${formatInstant(c.expiresAt)}.` : null;
  const fallback = "If the button doesn't work, copy this link into your browser:";
  const from = nonEmpty(c.fromName);

  const html: string[] = [p(escapeHtml(greeting)), p(escapeHtml(lead))];
  if (description) html.push(p(htmlText(description)));
  if (event) {
    html.push(p(`<strong>When:</strong> ${escapeHtml(event.when)}`));
    if (event.where) html.push(p(`<strong>Where:</strong> ${escapeHtml(event.where)}`));
  }
  html.push(button(c.url, 'Open your invitation'));
  if (expiry) html.push(p(escapeHtml(expiry)));
  html.push(
    p(
      `${escapeHtml(fallback)}<br>\n<a href="${escapeHtml(c.url)}" style="color:#2563eb;word-break:break-all">` +
        `${escapeHtml(c.url)}</a>`,
      SMALL_STYLE,
    ),
  );
  if (from) html.push(p(`— ${escapeHtml(oneLine(from))}`));

  const text: string[] = [greeting, '', lead];
  if (description) text.push('', description.replace(/\r\n|\r/g, '\n'));
  if (event) {
    text.push('', `When: ${event.when}`);
    if (event.where) text.push(`Where: ${event.where}`);
  }
  text.push('', 'Open your invitation:', c.url);
  if (expiry) text.push('', expiry);
  if (from) text.push('', `— ${oneLine(from)}`);
  unsubscribeFooter(c.unsubscribeUrl, html, text);

  return { subject, html: layout(subject, html.join('\n')), text: text.join('\n') + '\n' };
}

/** The visible unsubscribe link every campaign email ends with (RFC 8058 asks for one beside the header). */
function unsubscribeFooter(url: string | null | undefined, html: string[], text: string[]): void {
  if (!url) return;
  const lead = "Don't want emails like this? Unsubscribe:";
  html.push(
    p(
      `${escapeHtml(lead)} <a href="${escapeHtml(url)}" style="color:#2563eb;word-break:break-all">` +
        `${escapeHtml(url)}</a>`,
      SMALL_STYLE,
    ),
  );
  text.push('', '--', lead, url);
}

export interface CalendarCancellation {
  campaignName: string;
  recipientName: string | null;
  event: CalendarEvent;
  /** Why the event goes: the campaign was cancelled, it expired, or this invitation was replaced. */
  reason: 'cancelled' | 'expired' | 'replaced';
  fromName?: string | null;
  unsubscribeUrl?: string | null;
}

/** The email that carries a METHOD:CANCEL: the event leaves the recipient's calendar. No link: it no longer works. */
export function renderCalendarCancellation(c: CalendarCancellation): RenderedEmail {
  const title = nonEmpty(c.event.title) ?? c.campaignName;
  const replaced = c.reason === 'replaced';
  const subject = oneLine(replaced ? `Replaced: ${title}` : `Cancelled: ${title}`);
  const name = nonEmpty(c.recipientName);
  const greeting = name ? `Hi ${oneLine(name)},` : 'Hello,';
  const lead = replaced
    ? `Your earlier invitation to ${title} was replaced by a new one, sent separately. This removes the old entry from your calendar.`
    : c.reason === 'expired'
      ? `The invitation to ${title} has expired. This removes it from your calendar.`
      : `${title} has been cancelled. This removes it from your calendar.`;
  const when = eventLines(c.event);
  const from = nonEmpty(c.fromName);
  const html = [
    p(escapeHtml(greeting)),
    p(escapeHtml(lead)),
    p(`<strong>Was:</strong> ${escapeHtml(when.when)}`),
  ];
  const text = [greeting, '', lead, '', `Was: ${when.when}`];
  if (from) {
    html.push(p(`— ${escapeHtml(oneLine(from))}`));
    text.push('', `— ${oneLine(from)}`);
  }
  unsubscribeFooter(c.unsubscribeUrl, html, text);
  return { subject, html: layout(subject, html.join('\n')), text: text.join('\n') + '\n' };
}

export function renderOwnerSummary(s: OwnerSummary): RenderedEmail {
  const name = oneLine(s.campaignName);
  if (s.pass?.kind === 'calendar_cancel') return renderCancelSummary({ ...s, campaignName: name });
  const calendar = s.pass?.kind === 'calendar_update' ? s.pass : null;
  const finished = calendar ? 'finished updating calendar invites' : 'finished sending';
  const subject = `Campaign "${name}" ${finished}: ${s.sent} sent, ${s.failed} failed`;
  const listed = s.failures.slice(0, MAX_LISTED_FAILURES);
  const more = Math.max(s.failures.length, s.failed) - listed.length;
  const headline = calendar
    ? `Campaign "${name}" (${s.campaignId}) ${finished} to version ${calendar.version} of its event: ${s.sent} sent, ${s.failed} failed.`
    : `Campaign "${name}" (${s.campaignId}) ${finished}: ${s.sent} sent, ${s.failed} failed.`;
  const noun = calendar ? 'calendar updates' : 'invitations';

  const text: string[] = [headline];
  const html: string[] = [p(escapeHtml(headline))];
  if (listed.length > 0) {
    text.push('', 'Failed addresses:');
    html.push(p('<strong>Failed addresses:</strong>'));
    const items: string[] = [];
    for (const f of listed) {
      const email = oneLine(f.email);
      const reason = oneLine(f.reason);
      text.push(`- ${email}: ${reason}`);
      items.push(`<li>${escapeHtml(email)}: ${escapeHtml(reason)}</li>`);
    }
    if (more > 0) {
      text.push(`… and ${more} more`);
      items.push(`<li>… and ${more} more</li>`);
    }
    html.push(
      `<ul style="margin:0 0 16px 0;padding-left:20px;${FONT};font-size:14px;line-height:20px;color:#1f2933">\n` +
        items.join('\n') +
        '\n</ul>',
    );
  } else if (s.failed > 0) {
    const line = `${s.failed} ${noun} failed.`;
    text.push('', line);
    html.push(p(escapeHtml(line)));
  } else {
    const line = calendar ? 'Every calendar update was sent.' : 'Every invitation was sent.';
    text.push('', line);
    html.push(p(escapeHtml(line)));
  }
  const links = [{ label: 'View the campaign', url: s.links.campaign(s.campaignId) }];
  if (s.failed > 0 && !calendar)
    links.push({ label: 'See the failed invites', url: s.links.failedInvites(s.campaignId) });
  linkButtons(links, html, text);
  return { subject, html: layout(subject, html.join('\n')), text: text.join('\n') + '\n' };
}

/** Links into the console: buttons in the HTML, "label: address" lines in the text. */
function linkButtons(links: { label: string; url: string }[], html: string[], text: string[]): void {
  for (const { label, url } of links) {
    text.push('', `${label}: ${url}`);
    html.push(button(url, label));
  }
}

/** After the cancellations went out: how many, and who could not be reached. */
function renderCancelSummary(s: OwnerSummary): RenderedEmail {
  const subject = `Campaign "${s.campaignName}" cancelled its calendar invites: ${s.sent} sent, ${s.failed} failed`;
  const headline = `Campaign "${s.campaignName}" (${s.campaignId}) is over: its event was removed from the calendars it reached. ${s.sent} cancellations sent, ${s.failed} failed.`;
  const text = [headline];
  const html = [p(escapeHtml(headline))];
  const note = s.pass?.kind === 'calendar_cancel' ? nonEmpty(s.pass.note) : null;
  if (note) {
    text.push('', oneLine(note));
    html.push(p(escapeHtml(oneLine(note))));
  }
  const listed = s.failures.slice(0, MAX_LISTED_FAILURES);
  if (listed.length) {
    text.push('', 'Not reached:', ...listed.map((f) => `- ${oneLine(f.email)}: ${oneLine(f.reason)}`));
    html.push(
      p('<strong>Not reached:</strong>'),
      `<ul style="margin:0 0 16px 0;padding-left:20px;${FONT};font-size:14px;line-height:20px;color:#1f2933">\n` +
        listed
          .map((f) => `<li>${escapeHtml(oneLine(f.email))}: ${escapeHtml(oneLine(f.reason))}</li>`)
          .join('\n') +
        '\n</ul>',
    );
  }
  linkButtons([{ label: 'View the campaign', url: s.links.campaign(s.campaignId) }], html, text);
  return { subject, html: layout(subject, html.join('\n')), text: text.join('\n') + '\n' };
}

export function renderOwnerAlert(a: OwnerAlert): RenderedEmail {
  const name = oneLine(a.campaignName);
  const id = encodeURIComponent(a.campaignId);
  const resume = `POST /v1/campaigns/${id}/resume`;
  const detail = `Detail: ${a.detail}`;

  const campaignPage = { label: 'Open the campaign', url: a.links.campaign(a.campaignId) };
  let subject: string;
  let paragraphs: string[];
  let links: { label: string; url: string }[];
  if (a.reason === 'email_token_invalid') {
    links = [{ label: 'Renew the token in Settings', url: a.links.emailSender() }, campaignPage];
    subject = `Action needed: your email token was rejected — "${name}" is paused`;
    paragraphs = [
      `Postmark rejected the server token Herald uses to send your email, so campaign "${name}" ` +
        `(${a.campaignId}) is paused. No more invitations will go out until you act.`,
      detail,
      'What to do:\n' +
        '1. Renew the Postmark server token in Settings (below), or with PUT /v1/account/email-provider.\n' +
        `2. Resume the campaign on its page (below), or with ${resume}.`,
      'Sending then continues from the first unsent invite.',
    ];
  } else if (a.reason === 'complaint_rate' || a.reason === 'bounce_rate') {
    const complaints = a.reason === 'complaint_rate';
    links = [campaignPage, { label: 'Sending limits and guards', url: a.links.sendingPolicy() }];
    subject = complaints
      ? `Action needed: "${name}" is paused — too many spam complaints`
      : `Action needed: "${name}" is paused — too many hard bounces`;
    paragraphs = [
      complaints
        ? `Campaign "${name}" (${a.campaignId}) paused itself because too many recipients marked it as spam. ` +
          'Gmail, Yahoo and Microsoft start filtering or rejecting a sender whose complaints pass 0.3%, and ' +
          'Postmark reviews servers well before that, so no more invitations or reminders go out until you act.'
        : `Campaign "${name}" (${a.campaignId}) paused itself because too many of its emails hard-bounced ` +
          '(the address does not exist). So many bounces usually mean an old or bought list, and mailbox providers ' +
          'treat such a sender as a spammer, so no more invitations or reminders go out until you act.',
      detail,
      'What to do:\n' +
        (complaints
          ? '1. Check who this campaign goes to: only people who asked for it, and an invitation they will recognise.\n'
          : '1. Clean the list: remove addresses that are old, guessed or bought; bounced ones are already suppressed.\n') +
        `2. Resume the campaign on its page (below), or with ${resume}.\n` +
        "The threshold is part of your account's sending policy: Settings, Sending limits and hours (below), or GET/PUT /v1/account/sending-policy, `guards`.",
      'A resumed campaign whose rate is still over the threshold pauses again at its next complaint or bounce.',
    ];
  } else {
    links = [{ label: 'See the failed invites', url: a.links.failedInvites(a.campaignId) }, campaignPage];
    subject = `Campaign "${name}" paused: too many delivery failures`;
    paragraphs = [
      `Campaign "${name}" (${a.campaignId}) is paused because too many deliveries failed.`,
      detail,
      `When the cause is fixed, Retry failed on the campaign's page (or POST /v1/campaigns/${id}/retry-failed) ` +
        `retries the failed invites, or Resume (${resume}) continues with the unsent ones.`,
    ];
  }
  const html = paragraphs.map((t) => p(htmlText(t)));
  const text = [paragraphs.join('\n\n')];
  linkButtons(links, html, text);
  return { subject, html: layout(subject, html.join('\n')), text: text.join('\n') + '\n' };
}

/** To the owner, once per disabling: a webhook endpoint failed for the whole retry period. */
export function renderWebhookDisabled(a: {
  endpointId: string;
  url: string;
  failingSince: Date;
  lastError: string | null;
  /** The endpoint's delivery log in the console, where Retry enables it again. */
  logUrl: string;
}): RenderedEmail {
  const subject = 'A webhook endpoint was disabled: it kept failing';
  const paragraphs = [
    `Herald could not deliver events to ${oneLine(a.url)} (endpoint ${a.endpointId}) since ` +
      `${a.failingSince.toISOString()}, so the endpoint is now disabled and no more events are sent to it.`,
    `Last answer: ${a.lastError ?? 'none'}`,
    `When the receiver works again, retry a delivery from the endpoint's delivery log (below), or with ` +
      `POST /v1/webhook-deliveries/<id>/retry (ids in GET /v1/webhook-endpoints/${encodeURIComponent(a.endpointId)}/deliveries): ` +
      'that enables the endpoint again.',
  ];
  const html = paragraphs.map((t) => p(htmlText(t)));
  const text = [paragraphs.join('\n\n')];
  linkButtons([{ label: 'Open the delivery log', url: a.logUrl }], html, text);
  return { subject, html: layout(subject, html.join('\n')), text: text.join('\n') + '\n' };
}
