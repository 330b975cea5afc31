import { classifyTouch, PREFETCH_WINDOW_SECONDS, type Touch } from '../domain/engagement';

const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const GMAIL_PROXY =
  'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const person = (over: Partial<Touch> = {}): Touch => ({
  kind: 'click',
  userAgent: CHROME,
  secondsSinceDelivery: 3600,
  humanSeen: false,
  ...over,
});

describe('Telling people from machines (domain/engagement.ts), without a server', () => {
  it('when a browser opens, clicks or visits an hour after delivery, then it is a person', () => {
    for (const kind of ['open', 'click', 'view'] as const)
      expect(classifyTouch(person({ kind }))).toEqual({ audience: 'people', reason: 'person' });
  });

  it("when Gmail's image proxy fetches the pixel, then it is a person: Gmail fetches it when the mail is opened", () => {
    expect(classifyTouch(person({ kind: 'open', userAgent: GMAIL_PROXY })).audience).toBe('people');
  });

  it("when Apple's Mail Privacy Protection fetches the pixel (a bare Mozilla/5.0), then it is a machine's open", () => {
    expect(classifyTouch(person({ kind: 'open', userAgent: 'Mozilla/5.0' }))).toEqual({
      audience: 'machines',
      reason: 'apple_proxy',
    });
  });

  it('when a link scanner, a preview bot or an HTTP library follows the link, then it is a machine', () => {
    for (const userAgent of [
      'Mozilla/5.0 (compatible; Microsoft Safe Links; SafeLinks)',
      'Proofpoint URL Defense',
      'Mimecast-Scanner/1.0',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Mozilla/5.0 (Windows NT 10.0) ms-office; MSOffice 16',
      'curl/8.4.0',
      'python-requests/2.31',
    ])
      expect(classifyTouch(person({ userAgent }))).toEqual({
        audience: 'machines',
        reason: 'scanner_user_agent',
      });
  });

  it('when a page is asked for with HEAD, or by no user agent at all, then it is a machine; a provider event without a user agent says nothing either way', () => {
    expect(classifyTouch(person({ kind: 'view', method: 'HEAD' })).reason).toBe('head_request');
    expect(classifyTouch(person({ kind: 'view', userAgent: undefined })).reason).toBe('no_user_agent');
    expect(classifyTouch(person({ kind: 'open', userAgent: null })).audience).toBe('people');
  });

  it('when a touch comes within seconds of delivery before any person was seen, then it is a machine; after a person, or later, it is not', () => {
    const soon = PREFETCH_WINDOW_SECONDS - 1;
    expect(classifyTouch(person({ secondsSinceDelivery: soon }))).toEqual({
      audience: 'machines',
      reason: 'too_soon',
    });
    expect(classifyTouch(person({ secondsSinceDelivery: soon, humanSeen: true })).audience).toBe('people');
    expect(classifyTouch(person({ secondsSinceDelivery: PREFETCH_WINDOW_SECONDS })).audience).toBe('people');
    expect(classifyTouch(person({ secondsSinceDelivery: null })).audience).toBe('people');
    // PREFETCH_WINDOW_SECONDS=0 turns the rule off.
    expect(classifyTouch(person({ secondsSinceDelivery: 1, prefetchWindowSeconds: 0 })).audience).toBe(
      'people',
    );
  });
});
