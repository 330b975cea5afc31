import type { Campaign } from '../entities/Campaign';
import type { Invite } from '../entities/Invite';
import type { Account } from '../entities/Account';
import { cancellationMessages, invitationMessages } from '../activities/invitation-message';
import { SecretBox } from '../security/secrets';
import { renderCalendarInvite } from '../email/ical';
import type { EmailMessage } from '../email/port';
import { contentLines, property } from './support/ical-lines';
import ICAL from 'ical.js';
import * as nodeIcal from 'node-ical';

const secrets = SecretBox.fromConfig({ secretKey: '11'.repeat(32), dataDir: '/nonexistent' });
const account = { messageStream: null } as Account;
const cancellationMessage = cancellationMessages('https://herald.example', secrets);
const icsOfMessage = (m: EmailMessage) => Buffer.from(m.attachments![0].content, 'base64').toString('utf8');

const HOSTILE = 'Evil" <evil@attacker.test>';
const SENDER = 'events@acme.test';

const campaign = {
  id: 'cmp_1',
  accountId: 'acc_1',
  name: 'Gala',
  description: 'Come along.',
  emailSubject: null,
  emailFromName: HOSTILE,
  expiresAt: null,
  event: JSON.stringify({ title: 'Gala', startsAt: '2030-06-01T18:00:00Z', durationMinutes: 60 }),
  eventSequence: 3,
} as unknown as Campaign;
const invite = {
  id: 'inv_1',
  email: 'ada@example.com',
  name: 'Ada "The Countess"; Lovelace',
  token: 'tok',
  expiresAt: null,
  calendarUid: null,
} as unknown as Invite;
// As notifications.ts `senderFor` writes it: the name cleaned, the account's address last.
const from = `"Evil evil@attacker.test" <${SENDER}>`;

describe('iCalendar parameters and the organizer', () => {
  it('when the sender name holds a quote and an address, then the ORGANIZER is still the account sender address and the name stays one quoted CN', () => {
    const message = invitationMessages('https://herald.example', secrets)(
      campaign,
      account,
      invite,
      from,
      'k',
      'invitation',
    );
    const organizer = property(icsOfMessage(message), 'ORGANIZER');
    expect(organizer.value).toBe(`mailto:${SENDER}`);
    // The quote is caret-encoded (RFC 6868): part of the name, never the end of the value.
    expect(organizer.params).toEqual({ CN: "Evil^' <evil@attacker.test>" });
  });

  it('when a name holds quotes, separators or line breaks, then every parameter value is a quoted-string without a raw DQUOTE or control', () => {
    const ics = renderCalendarInvite({
      uid: 'u@herald',
      sequence: 0,
      event: { title: 'T', startsAt: '2030-06-01T18:00:00Z', durationMinutes: 30 },
      organizerEmail: SENDER,
      organizerName: 'A;B:C,D"E\r\nX-EVIL:1\u0007',
      attendeeEmail: 'ada@example.com',
      attendeeName: invite.name,
      dtstamp: new Date('2030-01-01T00:00:00Z'),
    });
    const lines = contentLines(ics);
    expect(lines.map((l) => l.name)).not.toContain('X-EVIL');
    expect(property(ics, 'ORGANIZER')).toEqual({
      name: 'ORGANIZER',
      params: { CN: "A;B:C,D^'E^nX-EVIL:1" },
      value: `mailto:${SENDER}`,
    });
    const attendee = property(ics, 'ATTENDEE');
    expect(attendee.params.CN).toBe("Ada ^'The Countess^'; Lovelace");
    expect(attendee.value).toBe('mailto:ada@example.com');
    // Raw text: each CN is DQUOTE-delimited, with no DQUOTE inside.
    for (const raw of ics
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .filter((l) => l.includes('CN=')))
      expect(raw).toMatch(/;CN="[^"\r\n]*"[;:]/);
  });

  it('when an invite is cancelled, then the CANCEL has the same UID, a SEQUENCE above the current version, STATUS:CANCELLED, and asks for no reply', () => {
    const message = cancellationMessage(
      campaign,
      account,
      invite,
      from,
      'calendar-cancel:inv_1',
      'cancelled',
    );
    const ics = icsOfMessage(message);
    expect(message.attachments![0].contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    expect(property(ics, 'METHOD').value).toBe('CANCEL');
    expect(property(ics, 'UID').value).toBe('cmp_1@herald');
    expect(property(ics, 'SEQUENCE').value).toBe('4');
    expect(property(ics, 'STATUS').value).toBe('CANCELLED');
    expect(property(ics, 'ORGANIZER').value).toBe(`mailto:${SENDER}`);
    expect(property(ics, 'ATTENDEE').params).toEqual({
      CN: "Ada ^'The Countess^'; Lovelace",
      ROLE: 'REQ-PARTICIPANT',
    });
    expect(message.metadata).toMatchObject({
      kind: 'calendar_cancel',
      idempotencyKey: 'calendar-cancel:inv_1',
    });
    expect(message.subject).toBe('Cancelled: Gala');
    // No invitation link (it no longer works): the one URL is the unsubscribe link bulk mail must carry.
    const unsubscribe = /^<(.+)>$/.exec(message.headers!['List-Unsubscribe'])![1];
    expect(message.text.match(/https:\/\/\S+/g)).toEqual([unsubscribe]);
    expect(unsubscribe).toMatch(/^https:\/\/herald\.example\/u\//);
  });

  it("when an invite was a reset's replacement, then its event carries its own UID", () => {
    const replacement = { ...invite, calendarUid: 'cmp_1.inv_2@herald' } as Invite;
    const message = invitationMessages('https://herald.example', secrets)(
      campaign,
      account,
      replacement,
      from,
      'k',
      'invitation',
    );
    expect(property(icsOfMessage(message), 'UID').value).toBe('cmp_1.inv_2@herald');
  });
});

describe('names as calendar clients read them (RFC 6868 parameter values)', () => {
  const render = (organizerName: string, attendeeName: string) =>
    renderCalendarInvite({
      uid: 'u@herald',
      sequence: 0,
      event: { title: 'T', startsAt: '2030-06-01T18:00:00Z', durationMinutes: 30 },
      organizerEmail: SENDER,
      organizerName,
      attendeeEmail: 'ada@example.com',
      attendeeName,
      dtstamp: new Date('2030-01-01T00:00:00Z'),
    });

  /** What ical.js (Thunderbird's parser) reads for a property's CN and value. */
  const viaIcalJs = (ics: string, name: 'organizer' | 'attendee') => {
    const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    const prop = event.getFirstProperty(name)!;
    return { cn: prop.getParameter('cn'), value: prop.getFirstValue() };
  };

  /** What node-ical reads for the event's attendee. */
  const viaNodeIcal = (ics: string) => {
    const event = Object.values(nodeIcal.sync.parseICS(ics)).find(
      (c) => c?.type === 'VEVENT',
    ) as nodeIcal.VEvent;
    const attendee = event.attendee as Exclude<nodeIcal.Attendee, string>;
    return { params: attendee.params, value: attendee.val };
  };

  const names = [
    'Bob "The Builder"; Esq.',
    'Ada "The Countess"; Lovelace',
    "Caret ^ and ^^ and ^n and ^' literally",
    'Two\nlines',
    'Smith, Ada: PhD',
    'Zoë 🎉 "Z"',
  ];

  it.each(names)(
    'when a name is %j, then ical.js reads exactly that name for the organizer and the attendee',
    (name) => {
      const ics = render(name, name);
      expect(viaIcalJs(ics, 'organizer')).toEqual({ cn: name, value: `mailto:${SENDER}` });
      expect(viaIcalJs(ics, 'attendee')).toEqual({ cn: name, value: 'mailto:ada@example.com' });
    },
  );

  it('when a name holds quotes, carets or a line break, then they are caret-encoded inside one quoted value and never reach the line raw', () => {
    const ics = render('A^B', 'Bob "The Builder"; Esq.\r\nX-EVIL:1');
    expect(property(ics, 'ORGANIZER').params).toEqual({ CN: 'A^^B' });
    expect(property(ics, 'ATTENDEE').params.CN).toBe("Bob ^'The Builder^'; Esq.^nX-EVIL:1");
    expect(contentLines(ics).map((l) => l.name)).not.toContain('X-EVIL');
  });

  it('when node-ical reads a name with a comma, a colon and non-ASCII text, then it reads that exact name and the attendee address', () => {
    // node-ical 0.27 neither decodes RFC 6868 nor keeps a `;` inside a quoted value, so only
    // names without `"`, `^`, `;` or a line break can come back whole through it.
    const name = 'Smith, Ada: PhD Zoë 🎉';
    expect(viaNodeIcal(render(name, name))).toEqual({
      params: { CN: name, ROLE: 'REQ-PARTICIPANT', PARTSTAT: 'NEEDS-ACTION', RSVP: true },
      value: 'mailto:ada@example.com',
    });
  });

  it('when node-ical reads a hostile name, then the attendee keeps its address and role and no other property appears', () => {
    const ics = render('x', 'Bob "The Builder"; Esq.\nX-EVIL:1');
    const attendee = viaNodeIcal(ics);
    expect(attendee.value).toBe('mailto:ada@example.com');
    expect(attendee.params).toMatchObject({ ROLE: 'REQ-PARTICIPANT', RSVP: true });
    const event = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT')!;
    expect(Object.keys(event)).not.toContain('x-evil');
  });
});
