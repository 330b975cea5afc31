import { draft, inSeconds, untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients, emailed, invitationsOf } from './support/delivery';
import { untilCampaignQuiet } from './support/idle';
import type { SentMessage } from './support/postmark-server';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

const DAY_S = 86_400;

describe('Postmark webhooks are matched to what Herald sent, and suppressed addresses get nothing', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000, { support: true });
  const { api, support } = account;

  const hook = (body: unknown, auth = 'hooks:hook-secret') =>
    fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
  const handled = async (body: unknown) => {
    const res = await hook(body);
    expect(res.status).toBe(200);
    return ((await res.json()) as { handled: boolean }).handled;
  };

  const rows = <T>(sql: string, params: unknown[]) => stack.db.dataSource.query<T[]>(sql, params);
  const suppressionOf = async (email: string): Promise<string | undefined> =>
    (
      await rows<{ reason: string }>('SELECT reason FROM suppressions WHERE accountId = ? AND email = ?', [
        account.accountId,
        email,
      ])
    )[0]?.reason;

  const inviteOf = async (campaignId: string, inviteId: string) =>
    (await allInvites(api, campaignId)).find((i) => i.id === inviteId)!;

  /** A launched campaign with `n` recipients, each invitation sent, with its Postmark message. */
  async function sent(n: number) {
    const { id } = await draftWithRecipients(api, n, {});
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const messages = invitationsOf(fake, id);
    const invites = await allInvites(api, id);
    return {
      id,
      recipients: invites.map((invite) => ({
        invite: emailed(invite),
        message: messages.find((m) => m.Metadata.inviteId === invite.id) as SentMessage,
      })),
    };
  }

  const hardBounce = (m: SentMessage, extra: Record<string, unknown> = {}) => ({
    RecordType: 'Bounce',
    Type: 'HardBounce',
    TypeCode: 1,
    MessageID: m.MessageID,
    Email: m.To,
    Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Metadata: m.Metadata,
    ...extra,
  });

  describe('matching', () => {
    it('when a bounce names a real invite in its Metadata but a MessageID Herald never recorded, then it is ignored (200, handled false) and nothing is suppressed', async () => {
      const { id, recipients } = await sent(1);
      const [{ invite, message }] = recipients;
      expect(await handled(hardBounce(message, { MessageID: '00000000-0000-4000-8000-000000000000' }))).toBe(
        false,
      );
      expect(await handled(hardBounce(message, { MessageID: undefined }))).toBe(false);
      expect(await suppressionOf(invite.email)).toBeUndefined();
      expect((await inviteOf(id, invite.id)).delivery.status).toBe('sent');
    });

    it('when a bounce carries a real MessageID but another address, then it is ignored and neither address is suppressed', async () => {
      const { id, recipients } = await sent(1);
      const [{ invite, message }] = recipients;
      const bystander = `bystander-${Date.now()}@example.com`;
      expect(await handled(hardBounce(message, { Email: bystander }))).toBe(false);
      expect(await suppressionOf(bystander)).toBeUndefined();
      expect(await suppressionOf(invite.email)).toBeUndefined();
      expect((await inviteOf(id, invite.id)).delivery.status).toBe('sent');
      // A Delivery or an Open for someone else moves nothing either.
      expect(await handled({ RecordType: 'Open', MessageID: message.MessageID, Recipient: bystander })).toBe(
        false,
      );
      expect((await inviteOf(id, invite.id)).journey).toBe('sent');
    });

    it('when the MessageID and the address are the ones Herald sent (in any letter case), then the bounce suppresses the address', async () => {
      const { id, recipients } = await sent(1);
      const [{ invite, message }] = recipients;
      expect(await handled(hardBounce(message, { Email: message.To.toUpperCase(), Metadata: {} }))).toBe(
        true,
      );
      expect(await suppressionOf(invite.email)).toBe('hard_bounce');
      expect((await inviteOf(id, invite.id)).delivery.status).toBe('bounced');
    });
  });

  describe('the journey', () => {
    it('when Click, Open and Delivery of the same messages arrive at once, then every journey ends at clicked: the write is forward-only and atomic', async () => {
      const { id, recipients } = await sent(12);
      await Promise.all(
        recipients.flatMap(({ message }) =>
          ['Click', 'Open', 'Delivery'].map((RecordType) =>
            handled({ RecordType, MessageID: message.MessageID, Recipient: message.To }),
          ),
        ),
      );
      const journeys = (await allInvites(api, id)).map((i) => i.journey);
      expect(journeys).toEqual(Array(12).fill('clicked'));
      // A late Delivery never moves it back.
      const [{ invite, message }] = recipients;
      expect(
        await handled({ RecordType: 'Delivery', MessageID: message.MessageID, Recipient: message.To }),
      ).toBe(true);
      expect((await inviteOf(id, invite.id)).journey).toBe('clicked');
    });
  });

  describe('SubscriptionChange', () => {
    const change = (m: SentMessage, SuppressSending: boolean, SuppressionReason = 'ManualSuppression') => ({
      RecordType: 'SubscriptionChange',
      MessageID: m.MessageID,
      ServerID: 1,
      MessageStream: 'outbound',
      ChangedAt: new Date().toISOString(),
      Recipient: m.To,
      Origin: 'Recipient',
      SuppressSending,
      SuppressionReason,
      Metadata: m.Metadata,
    });

    it('when a recipient unsubscribes (SuppressSending true), then the address is suppressed as unsubscribed and a later campaign skips it; a reactivation (false) lifts it', async () => {
      const { recipients } = await sent(1);
      const [{ invite, message }] = recipients;
      expect(await handled(change(message, true))).toBe(true);
      expect(await suppressionOf(invite.email)).toBe('unsubscribed');

      const later = await draft(api, { name: 'Later' });
      await api.post(`/v1/campaigns/${later}/invites/bulk`, { recipients: [{ email: invite.email }] });
      await api.post(`/v1/campaigns/${later}/launch`);
      await untilStatus(api, later, 'active');
      expect(invitationsOf(fake, later)).toHaveLength(0);
      expect((await allInvites(api, later))[0].delivery.status).toBe('suppressed');

      expect(await handled(change(message, false))).toBe(true);
      expect(await suppressionOf(invite.email)).toBeUndefined();
    });

    it('when an address hard-bounced, then a reactivation does not lift that suppression', async () => {
      const { recipients } = await sent(1);
      const [{ invite, message }] = recipients;
      expect(await handled(hardBounce(message))).toBe(true);
      expect(await handled(change(message, true, 'HardBounce'))).toBe(true);
      expect(await handled(change(message, false, 'HardBounce'))).toBe(true);
      expect(await suppressionOf(invite.email)).toBe('hard_bounce');
    });

    it('when a SubscriptionChange carries no MessageID Herald recorded (a manual suppression in Postmark), then it is ignored', async () => {
      const { recipients } = await sent(1);
      const [{ invite, message }] = recipients;
      expect(await handled({ ...change(message, true), MessageID: null })).toBe(false);
      expect(await suppressionOf(invite.email)).toBeUndefined();
    });
  });

  it('when the credentials are wrong, then the webhook answers 401 with a Basic challenge', async () => {
    const res = await hook({ RecordType: 'Delivery' }, 'hooks:wrong');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="herald-webhooks"');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('when the body is not a Postmark event (a list, or a field of the wrong type), then it is a 400 naming the field and nothing is suppressed', async () => {
    const { recipients } = await sent(1);
    const [{ invite, message }] = recipients;
    const list = await hook([hardBounce(message)]);
    expect(list.status).toBe(400);
    expect(list.headers.get('content-type')).toContain('application/problem+json');
    const wrongType = await hook(hardBounce(message, { Email: [message.To] }));
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'Email' })],
    });
    expect(await suppressionOf(invite.email)).toBeUndefined();
  });

  describe('a manual send to a suppressed address', () => {
    it.each([
      ['a hard bounce', (m: SentMessage) => hardBounce(m), /hard bounce/],
      [
        'a spam complaint',
        (m: SentMessage) => ({
          RecordType: 'SpamComplaint',
          MessageID: m.MessageID,
          Email: m.To,
          Type: 'SpamComplaint',
        }),
        /spam complaint/,
      ],
      [
        'an unsubscribe',
        (m: SentMessage) => ({
          RecordType: 'SubscriptionChange',
          MessageID: m.MessageID,
          Recipient: m.To,
          SuppressSending: true,
          SuppressionReason: 'ManualSuppression',
        }),
        /unsubscribed/,
      ],
    ])(
      'when the address is suppressed after %s, then send and reset answer 409 naming why, the invite is unchanged, and Postmark receives nothing new',
      async (_why, event, named) => {
        const { id, recipients } = await sent(1);
        const [{ invite, message }] = recipients;
        expect(await handled(event(message))).toBe(true);
        const before = await inviteOf(id, invite.id);
        // Owner summaries may still arrive: count what goes to the suppressed address.
        const toThem = () => fake.sent.filter((m) => m.To.toLowerCase() === invite.email).length;
        const sentBefore = toThem();
        expect(sentBefore).toBe(1);

        for (const action of ['send', 'reset'] as const) {
          const res = await support.post(`/v1/invites/${invite.id}/${action}`);
          expect(res.status).toBe(409);
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.body).toMatchObject({ status: 409, code: 'conflict' });
          expect(res.body.detail).toContain(invite.email);
          expect(res.body.detail).toMatch(named);
        }
        // Both refusals answered and nothing under way or due soon: nothing can still go to them.
        await untilCampaignQuiet(stack.temporal, id);
        expect(toThem()).toBe(sentBefore);
        const table = await allInvites(api, id);
        expect(table).toHaveLength(1); // the reset made no replacement
        expect(await inviteOf(id, invite.id)).toEqual(before);
        expect(
          (await api.get(`/v1/campaigns/${id}/audit`)).body.data.filter((e) => e.action === 'refused:resend'),
        ).toHaveLength(2);
      },
    );

    it('when an address hard-bounced after its invitation, then its reminder does not go out', async () => {
      const id = await draft(api, { name: 'Reminders' });
      const email = `remind-${Date.now()}@example.com`;
      const created = await api.post(`/v1/campaigns/${id}/invites`, {
        email,
        expiresIn: inSeconds(20),
        reminderDaysBefore: 14 / DAY_S,
      });
      expect(created.status).toBe(201);
      await api.post(`/v1/campaigns/${id}/launch`);
      await untilStatus(api, id, 'active');
      const [message] = invitationsOf(fake, id);
      expect(await handled(hardBounce(message))).toBe(true);
      // The reminder falls due 6 s in: it is settled without an email.
      await eventually(
        async () =>
          (
            await rows<{ reminderSentAt: unknown }>('SELECT reminderSentAt FROM invites WHERE id = ?', [
              created.body.id,
            ])
          )[0].reminderSentAt ?? undefined,
        { timeoutMs: 20_000 },
      );
      expect(fake.sent.filter((m) => m.Metadata.campaignId === id && m.Metadata.kind === 'reminder')).toEqual(
        [],
      );
    });
  });
});
