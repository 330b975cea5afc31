import { fromPostmarkWebhook } from '../email/postmark-webhooks';

const about = { messageId: 'm-1', detail: '' };

describe("Postmark's webhook payloads in Herald's terms", () => {
  it.each([
    [
      'a Delivery',
      { RecordType: 'Delivery', Recipient: 'a@x.test' },
      { type: 'delivered', address: 'a@x.test' },
    ],
    [
      'an Open',
      { RecordType: 'Open', Recipient: 'a@x.test' },
      { type: 'opened', address: 'a@x.test', userAgent: null },
    ],
    [
      'an Open with the User-Agent that fetched the pixel',
      { RecordType: 'Open', Recipient: 'a@x.test', UserAgent: 'Mozilla/5.0' },
      { type: 'opened', address: 'a@x.test', userAgent: 'Mozilla/5.0' },
    ],
    [
      'a Click',
      { RecordType: 'Click', Recipient: 'a@x.test', UserAgent: 'curl/8.4.0' },
      { type: 'clicked', address: 'a@x.test', userAgent: 'curl/8.4.0' },
    ],
    [
      'a HardBounce',
      { RecordType: 'Bounce', Email: 'a@x.test', Type: 'HardBounce', Description: 'no such user' },
      { type: 'hard_bounce', address: 'a@x.test', detail: 'no such user' },
    ],
    [
      'a BadEmailAddress bounce',
      { RecordType: 'Bounce', Email: 'a@x.test', Type: 'BadEmailAddress' },
      { type: 'hard_bounce', address: 'a@x.test', detail: 'BadEmailAddress' },
    ],
    [
      'a SoftBounce',
      { RecordType: 'Bounce', Email: 'a@x.test', Type: 'SoftBounce', Description: 'mailbox full' },
      { type: 'soft_bounce', address: 'a@x.test', detail: 'mailbox full' },
    ],
    [
      'a SpamComplaint',
      { RecordType: 'SpamComplaint', Email: 'a@x.test' },
      { type: 'spam_complaint', address: 'a@x.test' },
    ],
    [
      'an unsubscribe',
      {
        RecordType: 'SubscriptionChange',
        Recipient: 'a@x.test',
        SuppressSending: true,
        SuppressionReason: 'ManualSuppression',
      },
      { type: 'suppressed', address: 'a@x.test', reason: 'unsubscribed' },
    ],
    [
      'a suppression after a hard bounce',
      {
        RecordType: 'SubscriptionChange',
        Recipient: 'a@x.test',
        SuppressSending: true,
        SuppressionReason: 'HardBounce',
      },
      { type: 'suppressed', address: 'a@x.test', reason: 'hard_bounce' },
    ],
    [
      'a reactivation',
      { RecordType: 'SubscriptionChange', Recipient: 'a@x.test', SuppressSending: false },
      { type: 'reactivated', address: 'a@x.test' },
    ],
  ])('when Postmark posts %s, then Herald reads it as its own event', (_, payload, expected) => {
    expect(fromPostmarkWebhook({ MessageID: 'm-1', ...payload })).toEqual({ ...about, ...expected });
  });

  it.each([
    ['another record type', { RecordType: 'Inbound', MessageID: 'm-1', Recipient: 'a@x.test' }],
    ['no MessageID', { RecordType: 'Delivery', Recipient: 'a@x.test' }],
    [
      'a bounce naming its address under Recipient',
      { RecordType: 'Bounce', MessageID: 'm-1', Recipient: 'a@x.test' },
    ],
    [
      'a SubscriptionChange saying neither way',
      { RecordType: 'SubscriptionChange', MessageID: 'm-1', Recipient: 'a@x.test' },
    ],
  ])('when Postmark posts %s, then Herald has nothing to act on', (_, payload) => {
    expect(fromPostmarkWebhook(payload)).toBeNull();
  });
});
