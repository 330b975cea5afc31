/**
 * RFC 5545 calendar invitations (iTIP REQUEST / CANCEL), rendered as text for an email
 * attachment. Pure: no I/O, no clock, no Node built-ins (safe anywhere, including workflow code).
 */
import type { EmailAttachment } from './port';

export interface CalendarEvent {
  title: string;
  /** ISO 8601 instant, e.g. `2026-12-01T09:00:00Z`. */
  startsAt: string;
  durationMinutes: number;
  location?: string | null;
}

export interface CalendarInviteInput {
  /** Stable per invite: a later update or cancel with the same UID replaces the event. */
  uid: string;
  /** Bump on every update of the same UID (clients ignore a lower or equal sequence). */
  sequence: number;
  event: CalendarEvent;
  /** The account's sender address (never taken from a display name). */
  organizerEmail: string;
  organizerName?: string | null;
  attendeeEmail: string;
  attendeeName?: string | null;
  description?: string | null;
  url?: string | null;
  dtstamp: Date;
  method?: 'REQUEST' | 'CANCEL';
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/** `20261201T090000Z`: UTC, basic format, whole seconds. */
export function formatIcalUtc(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('Invalid date');
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
  );
}

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline. */
export function escapeIcalText(s: string): string {
  return stripControls(
    s
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n'),
  );
}

/** Control characters other than HTAB are not allowed in content lines. */
function stripControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
}

/** A single-line value that is not TEXT (URI, cal-address): no escaping, but no line breaks either. */
function rawValue(s: string): string {
  return stripControls(s.replace(/\r\n|\r|\n/g, ' ').trim());
}

/**
 * A parameter value (e.g. CN), always as a quoted-string (RFC 5545 §3.2): inside one, `;`, `:`
 * and `,` are plain text. DQUOTE and line breaks cannot appear in it at all, so they are
 * caret-encoded (RFC 6868: `^'`, `^n`, and `^^` for a caret itself), which calendar clients
 * decode back: `Bob "The Builder"; Esq.` arrives as written. Other control characters have no
 * encoding and are dropped. No name can end the parameter and start another, or reach the
 * property's value (`Evil" <evil@attacker.test>` stays a name).
 */
export function paramValue(s: string): string {
  return `"${encodeParamText(s)}"`;
}

function encodeParamText(s: string): string {
  return stripControls(
    s
      .trim()
      .replace(/\^/g, '^^')
      .replace(/"/g, "^'")
      .replace(/\r\n|\r|\n/g, '^n'),
  );
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Folds one content line at 75 octets (RFC 5545 §3.1): continuation lines start with a space,
 * which counts towards their 75. Splits only between code points, never inside a UTF-8 sequence
 * or a surrogate pair.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = utf8Length(ch.codePointAt(0)!);
    if (octets + n > MAX_LINE_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join(CRLF);
}

/** Undoes folding: a CRLF followed by one space or tab is removed. */
export function unfoldLines(ics: string): string {
  return ics.replace(/\r\n[ \t]/g, '');
}

export function renderCalendarInvite(e: CalendarInviteInput): string {
  const method = e.method ?? 'REQUEST';
  if (!Number.isInteger(e.sequence) || e.sequence < 0) {
    throw new RangeError(`SEQUENCE must be a non-negative integer, got ${e.sequence}`);
  }
  if (!Number.isFinite(e.event.durationMinutes) || e.event.durationMinutes < 0) {
    throw new RangeError(`durationMinutes must be a non-negative number, got ${e.event.durationMinutes}`);
  }
  const start = new Date(e.event.startsAt);
  if (Number.isNaN(start.getTime())) throw new RangeError(`Invalid startsAt: ${e.event.startsAt}`);
  const end = new Date(start.getTime() + Math.round(e.event.durationMinutes * 60_000));

  const cn = (name: string | null | undefined) =>
    name && encodeParamText(name) ? `;CN=${paramValue(name)}` : '';
  // A cancellation asks nothing of the attendee: no reply requested.
  const reply = method === 'CANCEL' ? '' : ';PARTSTAT=NEEDS-ACTION;RSVP=TRUE';

  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Herald//Campaigns//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${escapeIcalText(e.uid)}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${formatIcalUtc(e.dtstamp)}`,
    `DTSTART:${formatIcalUtc(start)}`,
    `DTEND:${formatIcalUtc(end)}`,
    `SUMMARY:${escapeIcalText(e.event.title)}`,
  ];
  if (e.event.location?.trim()) lines.push(`LOCATION:${escapeIcalText(e.event.location)}`);
  if (e.description?.trim()) lines.push(`DESCRIPTION:${escapeIcalText(e.description)}`);
  if (e.url?.trim()) lines.push(`URL:${rawValue(e.url)}`);
  lines.push(
    `ORGANIZER${cn(e.organizerName)}:mailto:${rawValue(e.organizerEmail)}`,
    `ATTENDEE${cn(e.attendeeName)};ROLE=REQ-PARTICIPANT${reply}` + `:mailto:${rawValue(e.attendeeEmail)}`,
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  );
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/**
 * The .ics as an email attachment. The content type's `method` follows the calendar's own
 * METHOD line (REQUEST unless it says otherwise), as iTIP requires them to agree.
 */
export function calendarAttachment(ics: string): EmailAttachment {
  const m = /(?:^|\r\n)METHOD:([A-Z-]+)\r\n/.exec(unfoldLines(ics));
  const method = m ? m[1] : 'REQUEST';
  return {
    name: 'invite.ics',
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: base64Utf8(ics),
  };
}

/** UTF-8 then base64, without Buffer (so the module stays free of Node built-ins). */
export function base64Utf8(s: string): string {
  const bytes: number[] = [];
  for (const ch of s) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate, as TextEncoder does
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      bytes.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += alphabet[b0 >> 2];
    out += alphabet[((b0 & 0x03) << 4) | ((b1 ?? 0) >> 4)];
    out += b1 === undefined ? '=' : alphabet[((b1 & 0x0f) << 2) | ((b2 ?? 0) >> 6)];
    out += b2 === undefined ? '=' : alphabet[b2 & 0x3f];
  }
  return out;
}
