import {
  formatInstant,
  renderInvitation,
  renderOwnerAlert,
  renderOwnerSummary,
  type InvitationContent,
} from '../email/templates';
import { calendarAttachment, renderCalendarInvite, type CalendarEvent } from '../email/ical';
import { consoleLinks } from '../domain/console-links';

const links = consoleLinks('https://herald.example/');

const base: InvitationContent = {
  campaignName: 'Winter Gala',
  description: 'An evening of music.\nDress code: black tie.',
  recipientName: 'Ada',
  url: 'https://herald.example/i/tok_abc123?x=1&y=2',
  expiresAt: new Date('2026-12-01T09:00:00Z'),
  now: new Date('2026-11-01T09:00:00Z'),
  kind: 'invitation',
};

const octets = (s: string) => Buffer.byteLength(s, 'utf8');
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const contentLines = (ics: string) => unfold(ics).split('\r\n').slice(0, -1);

describe('Invitation emails', () => {
  it('greets by name and carries the description, the button, the fallback link and the expiry in both parts', () => {
    const { html, text } = renderInvitation(base);
    const escapedUrl = 'https://herald.example/i/tok_abc123?x=1&amp;y=2';

    expect(html).toContain('Hi Ada,');
    expect(html).toContain('An evening of music.<br>\nDress code: black tie.');
    expect(html).toMatch(
      new RegExp(`<a href="${escapedUrl.replace(/[?.]/g, '\\$&')}"[^>]*>Open your invitation</a>`),
    );
    expect(html).toMatch(/<table role="presentation"[^>]*>\s*<tr><td[^>]*bgcolor/);
    expect(html).toContain(`If the button doesn&#39;t work, copy this link into your browser:`);
    expect(html).toContain(`>${escapedUrl}</a>`);
    expect(html).toContain('This link expires on 1 December 2026, 09:00 UTC.');

    expect(text).toContain('Hi Ada,');
    expect(text).toContain('An evening of music.\nDress code: black tie.');
    expect(text).toContain(`Open your invitation:\n${base.url}\n`);
    expect(text).toContain('This link expires on 1 December 2026, 09:00 UTC.');
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('says "Hello," without a name and leaves out the expiry and description when there are none', () => {
    const { html, text } = renderInvitation({
      ...base,
      recipientName: '  ',
      description: null,
      expiresAt: null,
    });
    expect(text.startsWith('Hello,\n')).toBe(true);
    expect(html).toContain('Hello,');
    expect(text).not.toContain('expires');
    expect(html).not.toContain('expires');
    expect(text).not.toContain('An evening');
  });

  it('escapes a hostile campaign name and recipient name in the HTML, but not in the text', () => {
    const hostile = `<script>alert("x")</script> & 'Co'`;
    const { subject, html, text } = renderInvitation({
      ...base,
      campaignName: hostile,
      recipientName: '<img src=x onerror=alert(1)>',
      description: '<b>bold</b>',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(text).toContain(hostile);
    expect(text).toContain('Hi <img src=x onerror=alert(1)>,');
    expect(subject).toBe(`You're invited: ${hostile}`);
  });

  it('escapes a url that tries to break out of the href attribute', () => {
    const { html } = renderInvitation({ ...base, url: 'https://x.example/"><script>1</script>' });
    expect(html).not.toContain('"><script>');
    expect(html).toContain('href="https://x.example/&quot;&gt;&lt;script&gt;1&lt;/script&gt;"');
  });

  it('when the expiry it would state has passed (or is this instant), then no email is rendered: the error names the expiry', () => {
    for (const kind of ['invitation', 'resend', 'reminder', 'calendar_update'] as const) {
      for (const now of [base.expiresAt!, new Date('2026-12-01T09:00:00.001Z')])
        expect(() => renderInvitation({ ...base, kind, now })).toThrow(
          new RangeError(
            `refusing to render an email whose link expired at 2026-12-01T09:00:00.000Z (now ${now.toISOString()}): it would state a past expiry`,
          ),
        );
    }
    expect(renderInvitation({ ...base, now: new Date('2026-12-01T08:59:59.999Z') }).text).toContain(
      'This link expires on 1 December 2026, 09:00 UTC.',
    );
  });

  it('uses the default subject for each kind, and the custom subject for invitations and resends', () => {
    const event: CalendarEvent = {
      title: 'Gala dinner',
      startsAt: '2026-12-01T18:00:00Z',
      durationMinutes: 120,
    };
    expect(renderInvitation(base).subject).toBe("You're invited: Winter Gala");
    expect(renderInvitation({ ...base, kind: 'resend' }).subject).toBe("You're invited: Winter Gala");
    expect(renderInvitation({ ...base, kind: 'reminder' }).subject).toBe(
      'Reminder: your invitation to Winter Gala expires soon',
    );
    expect(renderInvitation({ ...base, kind: 'calendar_update', event }).subject).toBe(
      'Updated: Gala dinner',
    );
    expect(renderInvitation({ ...base, subject: 'Come along!' }).subject).toBe('Come along!');
    expect(renderInvitation({ ...base, kind: 'resend', subject: 'Come along!' }).subject).toBe('Come along!');
  });

  it('keeps subjects on one header line', () => {
    expect(renderInvitation({ ...base, campaignName: 'Gala\r\nBcc: evil@x.example' }).subject).toBe(
      "You're invited: Gala Bcc: evil@x.example",
    );
  });

  it('shows when and where for an event', () => {
    const event: CalendarEvent = {
      title: 'Gala dinner',
      startsAt: '2026-12-01T18:30:00Z',
      durationMinutes: 90,
      location: 'Hall <A>',
    };
    const { html, text } = renderInvitation({ ...base, kind: 'calendar_update', event });
    expect(text).toContain('When: 1 December 2026, 18:30 UTC (90 minutes)');
    expect(text).toContain('Where: Hall <A>');
    expect(html).toContain('Hall &lt;A&gt;');
  });

  it('formats instants in UTC with English month names', () => {
    expect(formatInstant(new Date('2026-12-01T09:00:00Z'))).toBe('1 December 2026, 09:00 UTC');
    expect(formatInstant(new Date('2027-01-31T23:05:59+02:00'))).toBe('31 January 2027, 21:05 UTC');
    expect(() => formatInstant(new Date('nope'))).toThrow(RangeError);
  });
});

describe('Owner emails', () => {
  it('summarises a finished campaign and lists each failed address with its reason', () => {
    const { subject, html, text } = renderOwnerSummary({
      campaignName: 'Gala <2026>',
      campaignId: 'c-1',
      sent: 98,
      failed: 2,
      failures: [
        { email: 'a@x.example', reason: 'Inactive recipient' },
        { email: 'b@x.example', reason: 'Invalid email\nrequest' },
      ],
      links,
    });
    expect(subject).toBe('Campaign "Gala <2026>" finished sending: 98 sent, 2 failed');
    expect(text).toContain('- a@x.example: Inactive recipient\n');
    expect(text).toContain('- b@x.example: Invalid email request\n');
    // Into the console: the campaign, and its participant list filtered to the failed.
    expect(text).toContain('View the campaign: https://herald.example/console/campaigns/c-1\n');
    expect(text).toContain(
      'See the failed invites: https://herald.example/console/campaigns/c-1?delivery=failed\n',
    );
    expect(html).toContain('href="https://herald.example/console/campaigns/c-1?delivery=failed"');
    expect(html).toContain('<li>a@x.example: Inactive recipient</li>');
    expect(html).toContain('Gala &lt;2026&gt;');
    expect(html).not.toContain('Gala <2026>');
    expect(text).not.toContain('more');
  });

  it('sums up an "update calendar invites" pass in its own words, with the failures', () => {
    const { subject, text } = renderOwnerSummary({
      campaignName: 'Gala',
      campaignId: 'c-3',
      sent: 9,
      failed: 1,
      failures: [{ email: 'a@x.example', reason: 'Inactive recipient' }],
      pass: { kind: 'calendar_update', version: 2 },
      links,
    });
    expect(subject).toBe('Campaign "Gala" finished updating calendar invites: 9 sent, 1 failed');
    expect(text).toContain('to version 2 of its event');
    expect(text).toContain('- a@x.example: Inactive recipient\n');
    expect(
      renderOwnerSummary({
        campaignName: 'Gala',
        campaignId: 'c-3',
        sent: 3,
        failed: 0,
        failures: [],
        pass: { kind: 'calendar_update', version: 1 },
        links,
      }).text,
    ).toContain('Every calendar update was sent.');
  });

  it('caps the failure list at 1,000 lines and says how many more there are', () => {
    const failures = Array.from({ length: 1234 }, (_, i) => ({
      email: `u${i}@x.example`,
      reason: 'bounced',
    }));
    const { text, html } = renderOwnerSummary({
      campaignName: 'Big',
      campaignId: 'c-2',
      sent: 0,
      failed: 1234,
      failures,
      links,
    });
    const listed = text.split('\n').filter((l) => l.startsWith('- '));
    expect(listed).toHaveLength(1000);
    expect(listed[999]).toBe('- u999@x.example: bounced');
    expect(text).not.toContain('u1000@x.example');
    expect(text).toContain('… and 234 more');
    expect(html).toContain('… and 234 more');
    expect(html.match(/<li>/g)).toHaveLength(1001);
  });

  it('tells the owner exactly how to recover from a rejected email token', () => {
    const { subject, text, html } = renderOwnerAlert({
      campaignName: 'Gala',
      campaignId: '0192f0c4-0000-7000-8000-000000000001',
      reason: 'email_token_invalid',
      detail: 'Postmark: 401 Unauthorized',
      links,
    });
    expect(subject).toBe('Action needed: your email token was rejected — "Gala" is paused');
    for (const body of [text, html]) {
      expect(body).toContain('PUT /v1/account/email-provider');
      expect(body).toContain('POST /v1/campaigns/0192f0c4-0000-7000-8000-000000000001/resume');
      expect(body).toContain('first unsent invite');
      expect(body).toContain('Postmark: 401 Unauthorized');
      expect(body).toContain('https://herald.example/console/settings#email-sender');
      expect(body).toContain('https://herald.example/console/campaigns/0192f0c4-0000-7000-8000-000000000001');
    }
    expect(text).toContain(
      'Renew the token in Settings: https://herald.example/console/settings#email-sender',
    );
  });

  it('explains a pause for too many delivery failures and how to continue', () => {
    const { subject, text, html } = renderOwnerAlert({
      campaignName: 'Gala',
      campaignId: 'c-9',
      reason: 'failure_rate',
      detail: '12 of 40 deliveries failed',
      links,
    });
    expect(subject).toBe('Campaign "Gala" paused: too many delivery failures');
    for (const body of [text, html]) {
      expect(body).toContain('12 of 40 deliveries failed');
      expect(body).toContain('POST /v1/campaigns/c-9/retry-failed');
      expect(body).toContain('POST /v1/campaigns/c-9/resume');
      expect(body).toContain('https://herald.example/console/campaigns/c-9?delivery=failed');
    }
  });
});

describe('Calendar invitations', () => {
  const input = {
    uid: 'invite-42@herald',
    sequence: 3,
    event: {
      title: 'Gala; dinner, and drinks',
      startsAt: '2026-12-01T09:00:00Z',
      durationMinutes: 90,
      location: 'Hall A, Floor 2; Room\n5',
    },
    organizerEmail: 'org@herald.example',
    organizerName: 'Herald Team',
    attendeeEmail: 'ada@x.example',
    attendeeName: 'Ada Lovelace',
    description: 'Line one\nLine two \\ with backslash',
    url: 'https://herald.example/i/tok',
    dtstamp: new Date('2026-11-20T12:34:56.789Z'),
  };

  it('has every required property, with UTC times computed from start and duration', () => {
    const lines = contentLines(renderCalendarInvite(input));
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toEqual(
      expect.arrayContaining([
        'PRODID:-//Herald//Campaigns//EN',
        'VERSION:2.0',
        'CALSCALE:GREGORIAN',
        'METHOD:REQUEST',
        'BEGIN:VEVENT',
        'UID:invite-42@herald',
        'SEQUENCE:3',
        'DTSTAMP:20261120T123456Z',
        'DTSTART:20261201T090000Z',
        'DTEND:20261201T103000Z',
        'URL:https://herald.example/i/tok',
        'ORGANIZER;CN="Herald Team":mailto:org@herald.example',
        'ATTENDEE;CN="Ada Lovelace";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ada@x.example',
        'STATUS:CONFIRMED',
        'END:VEVENT',
      ]),
    );
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it('rolls DTEND over midnight and into the next year', () => {
    const lines = contentLines(
      renderCalendarInvite({
        ...input,
        event: { title: 'NYE', startsAt: '2026-12-31T23:30:00+00:00', durationMinutes: 45 },
      }),
    );
    expect(lines).toContain('DTSTART:20261231T233000Z');
    expect(lines).toContain('DTEND:20270101T001500Z');
    expect(lines.some((l) => l.startsWith('LOCATION'))).toBe(false);
  });

  it('converts an offset start time to UTC', () => {
    const lines = contentLines(
      renderCalendarInvite({ ...input, event: { ...input.event, startsAt: '2026-06-01T10:00:00+02:00' } }),
    );
    expect(lines).toContain('DTSTART:20260601T080000Z');
    expect(lines).toContain('DTEND:20260601T093000Z');
  });

  it('escapes semicolons, commas, backslashes and newlines in text values', () => {
    const lines = contentLines(renderCalendarInvite(input));
    expect(lines).toContain('SUMMARY:Gala\\; dinner\\, and drinks');
    expect(lines).toContain('LOCATION:Hall A\\, Floor 2\\; Room\\n5');
    expect(lines).toContain('DESCRIPTION:Line one\\nLine two \\\\ with backslash');
  });

  it('quotes every name, caret-encodes the DQUOTEs and line breaks it cannot hold (RFC 6868), and never lets one break the line', () => {
    const lines = contentLines(
      renderCalendarInvite({ ...input, attendeeName: 'Lovelace, Ada "AL"\r\nX-EVIL:1' }),
    );
    const attendee = lines.find((l) => l.startsWith('ATTENDEE'))!;
    expect(attendee).toBe(
      `ATTENDEE;CN="Lovelace, Ada ^'AL^'^nX-EVIL:1";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ada@x.example`,
    );
    expect(lines.some((l) => l.startsWith('X-EVIL'))).toBe(false);
  });

  it('marks a cancellation and carries its UID and SEQUENCE', () => {
    const ics = renderCalendarInvite({ ...input, method: 'CANCEL', sequence: 4 });
    const lines = contentLines(ics);
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('SEQUENCE:4');
    expect(lines).toContain('UID:invite-42@herald');
    expect(calendarAttachment(ics).contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
  });

  it('uses CRLF everywhere and ends with one', () => {
    const ics = renderCalendarInvite(input);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it.each([
    ['ASCII', 'x'.repeat(300)],
    ['accented', 'Soirée élégante à l’hôtel '.repeat(12)],
    ['emoji', '🎉🥂 Party time 🎶 '.repeat(15)],
    ['CJK', '招待状のご案内'.repeat(20)],
  ])('folds %s lines at 75 octets without splitting a character, and unfolds back', (_label, title) => {
    const ics = renderCalendarInvite({ ...input, event: { ...input.event, title }, description: title });
    const physical = ics.split('\r\n').slice(0, -1);
    for (const line of physical) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain('\uFFFD');
      expect(line).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]|^ [\uDC00-\uDFFF]/);
      // A well-formed line survives a UTF-8 round trip unchanged.
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    }
    expect(physical.length).toBeGreaterThan(contentLines(ics).length);
    expect(contentLines(ics)).toContain(`SUMMARY:${title}`);
    expect(contentLines(ics)).toContain(`DESCRIPTION:${title}`);
  });

  it('folds as late as it may: every folded line is filled to 75 octets', () => {
    const ics = renderCalendarInvite({ ...input, description: 'y'.repeat(500) });
    const physical = ics.split('\r\n');
    const start = physical.findIndex((l) => l.startsWith('DESCRIPTION:'));
    const end = physical.findIndex((l, i) => i > start && !l.startsWith(' '));
    expect(end - start).toBeGreaterThan(2);
    for (let i = start; i < end - 1; i++) expect(octets(physical[i])).toBe(75);
  });

  it('makes an invite.ics attachment, base64 of the UTF-8 text', () => {
    const ics = renderCalendarInvite({ ...input, event: { ...input.event, title: 'Café 🎉' } });
    const att = calendarAttachment(ics);
    expect(att.name).toBe('invite.ics');
    expect(att.contentType).toBe('text/calendar; charset=utf-8; method=REQUEST');
    expect(att.content).toBe(Buffer.from(ics, 'utf8').toString('base64'));
    expect(Buffer.from(att.content, 'base64').toString('utf8')).toBe(ics);
    for (const extra of ['', 'a', 'ab', 'abc', 'é', '€', '😀']) {
      const padded = ics + extra;
      expect(calendarAttachment(padded).content).toBe(Buffer.from(padded, 'utf8').toString('base64'));
    }
  });

  it('refuses an invalid start, duration or sequence', () => {
    expect(() => renderCalendarInvite({ ...input, event: { ...input.event, startsAt: 'soon' } })).toThrow(
      RangeError,
    );
    expect(() => renderCalendarInvite({ ...input, event: { ...input.event, durationMinutes: -1 } })).toThrow(
      RangeError,
    );
    expect(() => renderCalendarInvite({ ...input, sequence: 1.5 })).toThrow(RangeError);
  });
});
