import { ApplicationFailure } from '@temporalio/activity';
import { type FindOptionsWhere, In, Like } from 'typeorm';
import { emptyProgress, type SelfPauseReason } from '../domain/campaign';
import { FAILED_DELIVERY, progressOf } from '../db/progress';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { Notification } from '../entities/Notification';
import type { Database } from '../db/database';
import { consoleLinks } from '../domain/console-links';
import { type RenderedEmail, renderOwnerAlert, renderOwnerSummary } from '../email/templates';
import type { Notifier } from './send/exactly-once';
import type { DeliveryDeps } from './send/types';
import { liveInvite } from '../db/invite-scopes';

/** Emails to the account's owner (summaries, alerts), through the platform's own sender. */
export function ownerNotificationActivities(deps: DeliveryDeps, notifier: Notifier) {
  const { db } = deps;
  const links = consoleLinks(deps.publicBaseUrl);

  return {
    /** Owner emails go through the platform's sender, exactly once per key. */
    async notifyOwner(input: {
      campaignId: string;
      accountId: string;
      key: string;
      kind: 'owner_summary' | 'owner_alert';
      reason?: SelfPauseReason;
      detail?: string;
      /** With owner_summary: sum up the "update calendar invites" pass to this event version. */
      calendarVersion?: number;
      /** With owner_summary: sum up the cancellations sent when the campaign ended. */
      calendarCancelled?: boolean;
    }): Promise<void> {
      const campaign = await db.manager.findOneByOrFail(Campaign, {
        id: input.campaignId,
        accountId: input.accountId,
      });
      const account = await db.manager.findOneByOrFail(Account, { id: input.accountId });
      let rendered;
      /** A calendar pass's summary: its sent and failed notifications, counted where they are kept. */
      const passSummary = async (
        where: FindOptionsWhere<Notification>,
        pass: Parameters<typeof renderOwnerSummary>[0]['pass'],
      ) => {
        const failed = await db.manager.find(Notification, {
          where: { ...where, state: 'failed' },
          order: { id: 'ASC' },
          take: 1001,
        });
        return renderOwnerSummary({
          campaignName: campaign.name,
          campaignId: campaign.id,
          sent: await db.manager.countBy(Notification, { ...where, state: 'sent' }),
          failed: await db.manager.countBy(Notification, { ...where, state: 'failed' }),
          failures: failed.map((n) => ({ email: n.recipient, reason: n.error ?? 'failed' })),
          pass,
          links,
        });
      };
      if (input.kind === 'owner_summary' && input.calendarCancelled) {
        rendered = await passSummary(
          { campaignId: campaign.id, kind: 'calendar_cancel' },
          { kind: 'calendar_cancel', note: input.detail },
        );
      } else if (input.kind === 'owner_summary' && input.calendarVersion !== undefined) {
        const version = input.calendarVersion;
        rendered = await passSummary(
          { campaignId: campaign.id, kind: 'calendar_update', idempotencyKey: Like(`calendar:%:${version}`) },
          { kind: 'calendar_update', version },
        );
      } else if (input.kind === 'owner_summary') {
        // The same counters as the campaign view and the workflow's status query.
        const progress = (await progressOf(db.manager, [campaign.id])).get(campaign.id) ?? emptyProgress();
        const failedInvites = await db.manager.find(Invite, {
          where: { campaignId: campaign.id, deliveryStatus: In([...FAILED_DELIVERY]), ...liveInvite },
          order: { id: 'ASC' },
          take: 1001,
        });
        rendered = renderOwnerSummary({
          campaignName: campaign.name,
          campaignId: campaign.id,
          sent: progress.sent,
          failed: progress.failed,
          failures: failedInvites.map((i) => ({
            email: i.email ?? '(no address)',
            reason: i.deliveryError ?? i.deliveryStatus ?? 'failed',
          })),
          links,
        });
      } else {
        rendered = renderOwnerAlert({
          campaignName: campaign.name,
          campaignId: campaign.id,
          reason: input.reason!,
          detail: input.detail ?? '',
          links,
        });
      }
      await sendOwnerEmail(db, notifier, {
        accountId: account.id,
        campaignId: campaign.id,
        key: input.key,
        kind: input.kind,
        to: account.ownerEmail,
        rendered,
      });
    },
  };
}

/**
 * One email to the account's owner through the platform's sender, exactly once per key: a
 * claim left pending by a crash is settled first, and a provider failure fails the activity
 * (Temporal retries it; the failed claim is taken again) rather than losing the email.
 */
export async function sendOwnerEmail(
  db: Database,
  notifier: Notifier,
  email: {
    accountId: string;
    campaignId: string | null;
    key: string;
    kind: 'owner_summary' | 'owner_alert';
    to: string;
    rendered: RenderedEmail;
  },
): Promise<void> {
  const { platformSender, settle, claim, sendClaimed } = notifier;
  const { credentials, from } = platformSender();
  const existing = await db.manager.findOneBy(Notification, { idempotencyKey: email.key });
  if (existing?.state === 'sent') return;
  if (existing?.state === 'pending') await settle(credentials, [existing]);
  const items = await db.transaction(async (em) =>
    (
      await claim(em, [
        {
          accountId: email.accountId,
          campaignId: email.campaignId,
          inviteId: null,
          kind: email.kind,
          idempotencyKey: email.key,
          recipient: email.to,
        },
      ])
    ).map((n) => ({
      notification: n,
      message: {
        from,
        to: email.to,
        subject: email.rendered.subject,
        html: email.rendered.html,
        text: email.rendered.text,
        messageStream: 'outbound',
        metadata: {
          idempotencyKey: email.key,
          ...(email.campaignId ? { campaignId: email.campaignId } : {}),
          accountId: email.accountId,
          kind: email.kind,
        },
      },
    })),
  );
  const { outcomes, tokenInvalid } = await sendClaimed(credentials, items);
  if (tokenInvalid) {
    throw ApplicationFailure.nonRetryable(
      'The platform email token (POSTMARK_SERVER_TOKEN) was rejected',
      'platform_token_invalid',
    );
  }
  const refused = outcomes.find((o) => !o.ok);
  if (refused && !refused.ok && !refused.badAddress) {
    throw ApplicationFailure.retryable(`owner email not accepted: ${refused.message}`, 'owner_email_failed');
  }
}
