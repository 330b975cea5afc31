/**
 * Each kind of email to a recipient, as the pipeline (send/pipeline.ts) runs it: which
 * invites it picks, the key that makes it once, how it is rendered, and what else it records.
 * Adding a kind of send is adding one here.
 */
import { In, IsNull, MoreThan, Not } from 'typeorm';
import { calendarBehind, invitedAfter, reminderPending, sendableInvite } from '../../db/invite-scopes';
import { linkState } from '../../domain/link';
import type { CalendarEvent } from '../../email/ical';
import type { Campaign } from '../../entities/Campaign';
import { Invite } from '../../entities/Invite';
import { whySuppressed } from '../../recipients/suppressions';
import type { SecretBox } from '../../security/secrets';
import { cancellationMessages, invitationMessages } from '../invitation-message';
import type { SendKind } from './pipeline';

export type CancelReason = 'cancelled' | 'expired' | 'replaced';

/** Each invite's event is cancelled once, whatever asks for it (the end of the campaign, a reset). */
export const cancelKey = (inviteId: string) => `calendar-cancel:${inviteId}`;

/** Over already: nobody needs a cancellation for an event that has taken place. */
export function eventOver(campaign: Campaign, now: Date): boolean {
  const event = JSON.parse(campaign.event!) as CalendarEvent;
  const end = Date.parse(event.startsAt) + event.durationMinutes * 60_000;
  return Number.isFinite(end) && end <= now.getTime();
}

/** The link works: the one rule the recipient pages use decides whether an email is worth it. */
const linkReady = (invite: Invite, { campaign, now }: { campaign: Campaign; now: Date }) =>
  linkState({ campaign, invite, now }).state === 'ready';

export function sendKinds(publicBaseUrl: string, secrets: SecretBox) {
  const invitationMessage = invitationMessages(publicBaseUrl, secrets);
  const cancellationMessage = cancellationMessages(publicBaseUrl, secrets);

  /** The next unsent invitations, in id order, within the send window. */
  const invitation: SendKind<void> = {
    kind: 'invitation',
    candidates: ({ campaign, now }) => sendableInvite(campaign.id, now),
    order: 'id',
    // MariaDB otherwise walks the campaign in id order past every invite already sent (and
    // reads each row to see that), for every chunk. The unsent ones are this index's range.
    index: 'IDX_invites_campaign_unsent',
    windowed: true,
    keyOf: (i) => `invitation:${i.id}`,
    worth: linkReady,
    render: (i, key, { campaign, account, from, now }) =>
      invitationMessage(campaign, account, i, from, key, 'invitation', now),
    async claimed(em, { items, suppressed }) {
      for (const reason of new Set(suppressed.map((s) => s.reason))) {
        const ids = suppressed.filter((s) => s.reason === reason).map((s) => s.invite.id);
        await em.update(
          Invite,
          { id: In(ids) },
          { deliveryStatus: 'suppressed', deliveryError: whySuppressed(reason) },
        );
      }
      if (items.length)
        await em.update(Invite, { id: In(items.map((c) => c.invite.id)) }, { deliveryStatus: 'sending' });
    },
    calendar: true,
  };

  /**
   * Reminders that fell due, once each, within the send window. One that fails, or that is
   * moot (its link no longer works, or it fell due before its invitation went out), is marked
   * done and never retried.
   */
  const reminder: SendKind<void> = {
    kind: 'reminder',
    candidates: ({ campaign, now }) => [{ ...reminderPending(campaign.id, now), email: MoreThan('') }],
    order: 'reminderAt',
    windowed: true,
    keyOf: (i) => `reminder:${i.id}`,
    worth: (i, ctx) => linkReady(i, ctx) && i.reminderAt! > i.sentAt!,
    render: (i, key, { campaign, account, from }) =>
      invitationMessage(campaign, account, i, from, key, 'reminder'),
    moot: (em, invites, { now }) =>
      em.update(Invite, { id: In(invites.map((i) => i.id)) }, { reminderSentAt: now }).then(() => undefined),
    async answered(em, { items, answers, unclaimed }) {
      // Not claimed here: suppressed since its invitation, or claimed elsewhere already. A
      // released call (the provider's rate limit) leaves the claimed ones due.
      const failed = items.filter((_, k) => answers[k] && !answers[k].ok).map((c) => c.invite.id);
      const done = [...failed, ...unclaimed.map((i) => i.id)];
      if (done.length)
        await em.update(Invite, { id: In(done), reminderSentAt: IsNull() }, { reminderSentAt: new Date() });
    },
    calendar: true,
  };

  /** Support's "send notification again": the same link, under the workflow's key. */
  const resend: SendKind<{ key: string }> = {
    kind: 'resend',
    candidates: () => [],
    order: 'id',
    keyOf: (_, { input }) => input.key,
    render: (i, key, { campaign, account, from }) =>
      invitationMessage(campaign, account, i, from, key, 'resend'),
    async answered(em, { items, answers }) {
      if (items.length && answers[0]?.ok)
        await em.update(
          Invite,
          { id: items[0].invite.id },
          { sentAt: new Date(), deliveryStatus: 'sent', deliveryError: null },
        );
    },
    calendar: true,
    priority: 'resend', // support's deliberate resend goes first, and counts
    own: false, // refused with its reason, or an earlier attempt's claim settled, by the caller
  };

  /** The invitation of a reset's new invite: an invitation like any, sent at once. */
  const resetInvitation: SendKind<void> = {
    kind: 'invitation',
    candidates: () => [],
    order: 'id',
    keyOf: (i) => `invitation:${i.id}`,
    render: (i, key, { campaign, account, from }) =>
      invitationMessage(campaign, account, i, from, key, 'invitation'),
    calendar: true,
    priority: 'resend',
    own: false,
  };

  /** "Update calendar invites": the event's new version to everyone already invited, once per version. */
  const calendarUpdate: SendKind<{ sequence: number }> = {
    kind: 'calendar_update',
    candidates: ({ campaign, input, cursor }) =>
      campaign.event ? calendarBehind(campaign.id, cursor, input.sequence) : [],
    order: 'id',
    keyOf: (i, { input }) => `calendar:${i.id}:${input.sequence}`,
    render: (i, key, { campaign, account, from }) =>
      invitationMessage(campaign, account, i, from, key, 'calendar_update'),
    calendar: true,
  };

  /**
   * METHOD:CANCEL to those whose calendar holds the event: when the campaign is over for good
   * (an expired one leaves it to those who used their invite: they are going), and for the
   * old invite of a reset.
   */
  const calendarCancel: SendKind<{ reason: CancelReason }> = {
    kind: 'calendar_cancel',
    candidates: ({ campaign, input, cursor, now }) =>
      !campaign.event || eventOver(campaign, now)
        ? []
        : [
            {
              ...invitedAfter(campaign.id, cursor),
              calendarSequence: Not(IsNull()),
              ...(input.reason === 'expired' ? { status: 'unused' as const } : {}),
            },
          ],
    order: 'id',
    keyOf: (i) => cancelKey(i.id),
    render: (i, key, { campaign, account, from, input }) =>
      cancellationMessage(campaign, account, i, from, key, input.reason),
  };

  return { invitation, reminder, resend, resetInvitation, calendarUpdate, calendarCancel };
}

export type SendKinds = ReturnType<typeof sendKinds>;
