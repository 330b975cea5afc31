import { inSeconds, recordHistory, untilStatus } from './support/campaigns';
import {
  allInvites,
  draftWithRecipients,
  invitationsOf,
  perRecipient,
  PLATFORM_FROM,
} from './support/delivery';
import { icsOf, property } from './support/ical-lines';
import { untilCampaignIdle } from './support/idle';
import type { SentMessage } from './support/postmark-server';
import { eventually, useAccount, usePostmarkStack } from './support/stack';
import { newId } from '../db/ids';
import { Suppression } from '../entities/Suppression';

describe('When a campaign with an event is over, its event leaves the calendars it reached', () => {
  const { stack, fake } = usePostmarkStack();
  const account = useAccount(stack, 10_000_000);
  const api = account.api;

  const event = {
    title: 'Tasting night',
    startsAt: '2030-06-01T18:00:00Z',
    durationMinutes: 90,
    location: 'The Cellar',
  };
  const ofKind = (id: string, kind: string) =>
    fake.sent.filter((m) => m.Metadata.campaignId === id && m.Metadata.kind === kind);
  const cancelsOf = (id: string) => ofKind(id, 'calendar_cancel');
  const uid = (m: SentMessage) => property(icsOf(m), 'UID').value;
  const sequence = (m: SentMessage) => Number(property(icsOf(m), 'SEQUENCE').value);

  function expectCancellation(m: SentMessage, of: SentMessage) {
    const ics = icsOf(m);
    expect(m.Attachments[0].ContentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    expect(property(ics, 'METHOD').value).toBe('CANCEL');
    expect(property(ics, 'STATUS').value).toBe('CANCELLED');
    expect(uid(m)).toBe(uid(of));
    expect(property(ics, 'ORGANIZER').value).toBe(`mailto:${PLATFORM_FROM}`);
  }

  it('when it is cancelled, then each recipient who got the invite gets exactly one CANCEL: same UID, a SEQUENCE above any sent, the account sender as organizer; the owner hears once it is through', async () => {
    const { id, emails } = await draftWithRecipients(api, 3, {
      event,
      batch: { size: 2, gapMinutes: 0 },
      email: { fromName: 'Evil" <evil@attacker.test>' },
    });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    // A first update, so version 1 is the highest any calendar holds.
    expect(
      (await api.patch(`/v1/campaigns/${id}`, { event: { ...event, durationMinutes: 120 } })).status,
    ).toBe(200);
    await eventually(async () => (ofKind(id, 'calendar_update').length === 3 ? true : undefined));
    const invitations = invitationsOf(fake, id);
    for (const m of invitations)
      expect(property(icsOf(m), 'ORGANIZER').value).toBe(`mailto:${PLATFORM_FROM}`);
    const highest = Math.max(...[...invitations, ...ofKind(id, 'calendar_update')].map(sequence));
    expect(highest).toBe(1);

    expect((await api.post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const cancels = await eventually(async () => (cancelsOf(id).length >= 3 ? cancelsOf(id) : undefined));
    expect([...perRecipient(cancels).entries()].sort()).toEqual(emails.map((e) => [e, 1]).sort());
    for (const m of cancels) {
      expectCancellation(m, invitations[0]);
      expect(sequence(m)).toBeGreaterThan(highest);
      expect(m.Subject).toBe('Cancelled: Tasting night');
    }
    const summary = await eventually(async () =>
      fake.sent.find(
        (m) =>
          m.To === account.ownerEmail &&
          m.Metadata.campaignId === id &&
          /calendar invites/.test(m.Subject) &&
          m.Subject.includes('cancelled'),
      ),
    );
    expect(summary.Subject).toBe('Campaign "Delivery" cancelled its calendar invites: 3 sent, 0 failed');
    // Over for good and its pass through, the workflow has ended: nothing more can go.
    expect(await untilCampaignIdle(stack.temporal, id)).toMatchObject({ closed: true });
    expect(cancelsOf(id)).toHaveLength(3);
    await recordHistory(stack.temporal, id, 'calendar-cancel-pass');
  });

  it('when it expires, then each recipient who got the invite gets exactly one CANCEL with the same UID and a higher SEQUENCE', async () => {
    const { id, emails } = await draftWithRecipients(api, 2, { event, expiresAt: inSeconds(6) });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    await untilStatus(api, id, 'expired', 20_000);
    const cancels = await eventually(async () => (cancelsOf(id).length >= 2 ? cancelsOf(id) : undefined));
    const [invitation] = invitationsOf(fake, id);
    expect([...perRecipient(cancels).entries()].sort()).toEqual(emails.map((e) => [e, 1]).sort());
    for (const m of cancels) {
      expectCancellation(m, invitation);
      expect(sequence(m)).toBeGreaterThan(sequence(invitation));
    }
    expect(await untilCampaignIdle(stack.temporal, id)).toMatchObject({ closed: true });
    expect(cancelsOf(id)).toHaveLength(2);
  });

  it("when an invite is reset, then the old invite's event is cancelled for its recipient and the new invitation brings its own event; a later cancel takes that one, once", async () => {
    const { id, emails } = await draftWithRecipients(api, 2, { event });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [first] = (await allInvites(api, id)).filter((i) => i.email === emails[0]);
    const original = invitationsOf(fake, id).find((m) => m.To === emails[0])!;

    const reset = await api.post(`/v1/invites/${first.id}/reset`);
    expect(reset.status).toBe(200);
    const [cancel] = await eventually(async () => (cancelsOf(id).length ? cancelsOf(id) : undefined));
    expect(cancel.To).toBe(emails[0]);
    expectCancellation(cancel, original);
    expect(sequence(cancel)).toBeGreaterThan(sequence(original));
    expect(cancel.Subject).toBe('Replaced: Tasting night');
    const fresh = invitationsOf(fake, id)
      .filter((m) => m.To === emails[0])
      .at(-1)!;
    expect(fresh.Metadata.inviteId).toBe(reset.body.id);
    expect(uid(fresh)).not.toBe(uid(original));
    // The cancellation goes first: a calendar never loses the new event to the old one's CANCEL.
    expect(fake.sent.indexOf(cancel)).toBeLessThan(fake.sent.indexOf(fresh));
    // Asked again (a retried request), the reset cancels nothing more.
    await api.post(`/v1/invites/${first.id}/reset`);
    expect(cancelsOf(id)).toHaveLength(1);

    expect((await api.post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const all = await eventually(async () => (cancelsOf(id).length >= 3 ? cancelsOf(id) : undefined));
    expect(await untilCampaignIdle(stack.temporal, id)).toMatchObject({ closed: true });
    expect(cancelsOf(id)).toHaveLength(3);
    const byUid = all.map((m) => `${m.To} ${uid(m)}`).sort();
    expect(byUid).toEqual(
      [`${emails[0]} ${uid(original)}`, `${emails[0]} ${uid(fresh)}`, `${emails[1]} ${uid(original)}`].sort(),
    );
  });
  it('when an address was suppressed after its invitation, then neither the update nor the cancellation goes to it', async () => {
    const { id, emails } = await draftWithRecipients(api, 2, { event });
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    await eventually(async () => (invitationsOf(fake, id).length === 2 ? true : undefined));
    // As a hard-bounce webhook would leave it (test/postmark-webhooks covers how it gets there).
    await stack.db.manager.insert(Suppression, {
      id: newId(),
      accountId: account.accountId,
      email: emails[0],
      reason: 'hard_bounce',
      createdAt: new Date(),
    });
    expect(
      (await api.patch(`/v1/campaigns/${id}`, { event: { ...event, location: 'The Loft' } })).status,
    ).toBe(200);
    const updates = await eventually(async () =>
      ofKind(id, 'calendar_update').length >= 1 ? ofKind(id, 'calendar_update') : undefined,
    );
    expect((await api.post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const cancels = await eventually(async () => (cancelsOf(id).length >= 1 ? cancelsOf(id) : undefined));
    expect(await untilCampaignIdle(stack.temporal, id)).toMatchObject({ closed: true });
    expect(ofKind(id, 'calendar_update').map((m) => m.To)).toEqual([emails[1]]);
    expect(cancelsOf(id).map((m) => m.To)).toEqual([emails[1]]);
    expect(updates).toHaveLength(1);
    expect(cancels).toHaveLength(1);
  });
});
