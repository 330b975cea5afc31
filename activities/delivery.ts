import { ApplicationFailure, heartbeat, log } from '@temporalio/activity';
import { type EntityManager, In, IsNull, LessThan, Like, MoreThan, Not } from 'typeorm';
import type { Database } from '../db/database';
import { newId, newInviteToken } from '../db/ids';
import type { SecretBox } from '../db/secrets';
import { AuditEntry } from '../entities/AuditEntry';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { Notification, type NotificationKind } from '../entities/Notification';
import { Suppression } from '../entities/Suppression';
import { calendarAttachment, type CalendarEvent, renderCalendarInvite } from '../email/ical';
import {
  type EmailCredentials,
  type EmailMessage,
  type EmailPort,
  EmailTemporarilyUnavailableError,
  EmailTokenInvalidError,
  type SendOutcome,
} from '../email/port';
import { renderInvitation, renderOwnerAlert, renderOwnerSummary } from '../email/templates';
import { linkState } from '../domain/link';

export interface DeliveryDeps {
  db: Database;
  email: EmailPort;
  secrets: SecretBox;
  /** The platform's own sender: owner alerts and summaries, and accounts without a token. */
  platform: { serverToken: string; from: string };
  publicBaseUrl: string;
  /** Waits between in-activity retries of a 429/5xx answer; after the last, the batch counts as failed. */
  providerRetryDelaysMs?: number[];
  /** A claim the provider does not know yet may still be in flight there: wait this long before resending it. */
  settleAfterMs?: number;
}

export interface BatchOutcome {
  attempted: number;
  sent: number;
  /** Refused for reasons other than the address: these count towards the failure-rate pause. */
  failed: number;
  badAddresses: number;
  suppressed: number;
  /** Invites that can still be sent after this call. */
  remaining: number;
  tokenInvalid: boolean;
}

export type ReminderSender = (
  campaign: Campaign,
  invites: Invite[],
) => Promise<{ sent: number; tokenInvalid: boolean }>;

/** One email to send exactly once: its ledger row and its message. */
interface Claimed {
  notification: Notification;
  message: EmailMessage;
  invite?: Invite;
}

const BAD_ADDRESS_CODES = new Set([300, 406]);

/** The version of the campaign's event its emails attach now, or null when it has none. */
const eventVersion = (campaign: Campaign): number | null => (campaign.event ? campaign.eventSequence : null);

export function deliveryActivities(deps: DeliveryDeps) {
  const { db, email } = deps;
  const retryDelays = deps.providerRetryDelaysMs ?? [1_000, 4_000];
  const settleAfterMs = deps.settleAfterMs ?? 5_000;

  async function senderFor(
    account: Account,
    campaign: Campaign | null,
  ): Promise<{ credentials: EmailCredentials; from: string }> {
    const serverToken = account.postmarkServerTokenEnc
      ? deps.secrets.open(account.postmarkServerTokenEnc)
      : deps.platform.serverToken;
    const address = account.fromEmail ?? deps.platform.from;
    const name = (campaign?.emailFromName ?? account.name).replace(/["\r\n]/g, '');
    return { credentials: { serverToken }, from: `"${name}" <${address}>` };
  }

  const platformSender = (): { credentials: EmailCredentials; from: string } => ({
    credentials: { serverToken: deps.platform.serverToken },
    from: `"Herald" <${deps.platform.from}>`,
  });

  /**
   * A `pending` row means an earlier attempt may have reached the provider and died before
   * recording it. Ask the provider: sent → record it; unknown (and old enough that it is not
   * still in flight) → release it to be sent again.
   */
  async function settle(credentials: EmailCredentials, pending: Notification[]): Promise<void> {
    for (const n of pending) {
      const messageId = await email.findSent(credentials, 'idempotencyKey', n.idempotencyKey);
      if (messageId) {
        await db.transaction((em) => recordSent(em, n, messageId, n.createdAt));
        log.info('settled an ambiguous send: the provider had it', { key: n.idempotencyKey });
      } else if (Date.now() - n.createdAt.getTime() < settleAfterMs) {
        throw ApplicationFailure.retryable(
          `claim ${n.idempotencyKey} is recent and unknown to the provider; waiting before resending`,
          'settling',
        );
      } else {
        await db.transaction(async (em) => {
          await em.delete(Notification, { id: n.id, state: 'pending' });
          if (n.inviteId && n.kind === 'invitation')
            await em.update(Invite, { id: n.inviteId, deliveryStatus: 'sending' }, { deliveryStatus: null });
        });
      }
      heartbeat();
    }
  }

  async function recordSent(em: EntityManager, n: Notification, messageId: string, at: Date): Promise<void> {
    await em.update(
      Notification,
      { id: n.id },
      { state: 'sent', providerMessageId: messageId, sentAt: at, error: null, errorCode: null },
    );
    if (!n.inviteId || n.kind !== 'invitation') {
      if (n.kind === 'reminder' && n.inviteId)
        await em.update(Invite, { id: n.inviteId }, { reminderSentAt: at });
      return;
    }
    await em.update(Invite, { id: n.inviteId }, { sentAt: at, deliveryStatus: 'sent', deliveryError: null });
    await em.update(Invite, { id: n.inviteId, journey: 'created' }, { journey: 'sent', journeyAt: at });
  }

  /** Claims (or re-claims a failed) notification row per key, in the caller's transaction. */
  async function claim(
    em: EntityManager,
    rows: Omit<
      Notification,
      'id' | 'state' | 'createdAt' | 'attempts' | 'providerMessageId' | 'error' | 'errorCode' | 'sentAt'
    >[],
  ): Promise<Notification[]> {
    if (!rows.length) return [];
    const existing = new Map(
      (await em.findBy(Notification, { idempotencyKey: In(rows.map((r) => r.idempotencyKey)) })).map((n) => [
        n.idempotencyKey,
        n,
      ]),
    );
    const now = new Date();
    const claimed: Notification[] = [];
    const fresh: Notification[] = [];
    for (const r of rows) {
      const before = existing.get(r.idempotencyKey);
      if (before?.state === 'sent' || before?.state === 'pending') continue; // sent already, or another attempt holds it
      const n: Notification = {
        ...r,
        id: before?.id ?? newId(),
        state: 'pending',
        createdAt: now,
        attempts: (before?.attempts ?? 0) + 1,
        providerMessageId: null,
        error: null,
        errorCode: null,
        sentAt: null,
      };
      if (before)
        await em.update(
          Notification,
          { id: before.id, state: 'failed' },
          { state: 'pending', createdAt: now, attempts: n.attempts },
        );
      else fresh.push(n);
      claimed.push(n);
    }
    for (let i = 0; i < fresh.length; i += 500) await em.insert(Notification, fresh.slice(i, i + 500));
    return claimed;
  }

  /**
   * The provider call, then its outcome recorded. 429/5xx are retried here a few times; if
   * they persist the messages are recorded failed (nothing was accepted). A timeout or a
   * dropped connection is ambiguous: the claims stay pending and the activity fails, so its
   * retry settles them with the provider first.
   */
  async function sendClaimed(
    credentials: EmailCredentials,
    items: Claimed[],
    /** The event version the messages attach (null: no calendar invite in them). */
    calendarVersion: number | null = null,
  ): Promise<{ outcomes: SendOutcome[]; tokenInvalid: boolean }> {
    if (!items.length) return { outcomes: [], tokenInvalid: false };
    let outcomes: SendOutcome[] | undefined;
    for (let attempt = 0; !outcomes; attempt++) {
      try {
        outcomes = await email.sendBatch(
          credentials,
          items.map((i) => i.message),
        );
      } catch (err) {
        if (err instanceof EmailTokenInvalidError) {
          await db.transaction(async (em) => {
            await em.delete(Notification, { id: In(items.map((i) => i.notification.id)), state: 'pending' });
            const inviteIds = items.flatMap((i) =>
              i.notification.kind === 'invitation' && i.invite ? [i.invite.id] : [],
            );
            if (inviteIds.length)
              await em.update(
                Invite,
                { id: In(inviteIds), deliveryStatus: 'sending' },
                { deliveryStatus: null },
              );
          });
          return { outcomes: [], tokenInvalid: true };
        }
        if (err instanceof EmailTemporarilyUnavailableError && err.status !== undefined) {
          if (attempt < retryDelays.length) {
            heartbeat();
            await new Promise((r) => setTimeout(r, retryDelays[attempt]));
            continue;
          }
          outcomes = items.map(() => ({
            ok: false,
            errorCode: err.status!,
            message: `provider unavailable (HTTP ${err.status}): ${err.message}`.slice(0, 300),
            badAddress: false,
          }));
          break;
        }
        throw err; // ambiguous: leave the claims pending for the retry to settle
      }
    }
    const at = new Date();
    await db.transaction(async (em) => {
      for (let k = 0; k < items.length; k++) {
        const { notification: n } = items[k];
        const outcome = outcomes[k];
        if (outcome.ok) {
          await recordSent(em, n, outcome.messageId, at);
          continue;
        }
        await em.update(
          Notification,
          { id: n.id },
          { state: 'failed', error: outcome.message.slice(0, 300), errorCode: outcome.errorCode },
        );
        if (n.inviteId && n.kind === 'invitation') {
          await em.update(
            Invite,
            { id: n.inviteId },
            { deliveryStatus: 'failed', deliveryError: outcome.message.slice(0, 300) },
          );
        }
      }
      if (calendarVersion !== null) {
        // Who holds which version of the event: an update pass skips those who already have it.
        const got = items.flatMap((it, k) =>
          outcomes[k].ok && it.notification.inviteId ? [it.notification.inviteId] : [],
        );
        if (got.length)
          await em
            .createQueryBuilder()
            .update(Invite)
            .set({ calendarSequence: calendarVersion })
            .where({ id: In(got) })
            .andWhere('(calendarSequence IS NULL OR calendarSequence < :calendarVersion)', {
              calendarVersion,
            })
            .execute();
      }
    });
    heartbeat();
    return { outcomes, tokenInvalid: false };
  }

  function invitationMessage(
    campaign: Campaign,
    invite: Invite,
    from: string,
    key: string,
    kind: 'invitation' | 'resend' | 'reminder' | 'calendar_update',
  ): EmailMessage {
    const event = campaign.event ? (JSON.parse(campaign.event) as CalendarEvent) : null;
    const expiries = [invite.expiresAt, campaign.expiresAt].filter((d): d is Date => d !== null);
    const rendered = renderInvitation({
      campaignName: campaign.name,
      description: campaign.description,
      recipientName: invite.name,
      url: `${deps.publicBaseUrl}/i/${invite.token}`,
      subject: campaign.emailSubject,
      fromName: campaign.emailFromName,
      expiresAt: expiries.length ? new Date(Math.min(...expiries.map((d) => d.getTime()))) : null,
      kind,
      event,
    });
    const attachments = event
      ? [
          calendarAttachment(
            renderCalendarInvite({
              uid: `${campaign.id}@herald`,
              sequence: campaign.eventSequence,
              event,
              organizerEmail: /<([^>]+)>/.exec(from)?.[1] ?? from,
              organizerName: campaign.emailFromName,
              attendeeEmail: invite.email!,
              attendeeName: invite.name,
              description: campaign.description,
              url: `${deps.publicBaseUrl}/i/${invite.token}`,
              dtstamp: new Date(),
            }),
          ),
        ]
      : undefined;
    return {
      from,
      to: invite.email!,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageStream: 'outbound',
      metadata: {
        idempotencyKey: key,
        inviteId: invite.id,
        campaignId: campaign.id,
        accountId: campaign.accountId,
        kind,
      },
      attachments,
    };
  }

  const eligible = (campaignId: string) => ({
    campaignId,
    voidedAt: IsNull(),
    sentAt: IsNull(),
    deliveryStatus: IsNull(),
    status: 'unused' as const,
    email: MoreThan(''),
  });

  async function countRemaining(campaignId: string): Promise<number> {
    const now = new Date();
    return db.manager.count(Invite, {
      where: [
        { ...eligible(campaignId), expiresAt: IsNull() },
        { ...eligible(campaignId), expiresAt: MoreThan(now) },
      ],
    });
  }

  /**
   * Reminders for invites that fell due: once each (key `reminder:<inviteId>`), through the
   * same claim → send → record path. A reminder that fails is recorded failed and not retried.
   */
  const sendReminders: ReminderSender = async (campaign, invites) => {
    const account = await db.manager.findOneByOrFail(Account, { id: campaign.accountId });
    const { credentials, from } = await senderFor(account, campaign);
    await settle(
      credentials,
      await db.manager.findBy(Notification, { campaignId: campaign.id, state: 'pending', kind: 'reminder' }),
    );
    const items = await db.transaction(async (em) => {
      const claimed = await claim(
        em,
        invites.map((i) => ({
          accountId: campaign.accountId,
          campaignId: campaign.id,
          inviteId: i.id,
          kind: 'reminder' as const,
          idempotencyKey: `reminder:${i.id}`,
          recipient: i.email!,
        })),
      );
      const byId = new Map(invites.map((i) => [i.id, i]));
      return claimed.map((n) => ({
        notification: n,
        invite: byId.get(n.inviteId!)!,
        message: invitationMessage(campaign, byId.get(n.inviteId!)!, from, n.idempotencyKey, 'reminder'),
      }));
    });
    // Claimed elsewhere already (sent, or in flight): settled above or by that attempt.
    const unclaimed = invites.filter((i) => !items.some((c) => c.invite.id === i.id));
    const { outcomes, tokenInvalid } = await sendClaimed(credentials, items, eventVersion(campaign));
    if (!tokenInvalid) {
      const failed = items.filter((_, k) => outcomes[k] && !outcomes[k].ok).map((c) => c.invite.id);
      const settledElsewhere = unclaimed.map((i) => i.id);
      const done = [...failed, ...settledElsewhere];
      if (done.length)
        await db.transaction((em) =>
          em.update(Invite, { id: In(done), reminderSentAt: IsNull() }, { reminderSentAt: new Date() }),
        );
    }
    return { sent: outcomes.filter((o) => o.ok).length, tokenInvalid };
  };

  const activities = {
    /**
     * Sends the next (up to `limit`, ≤ the provider's batch size) unsent invitations of a
     * campaign, exactly once each. The workflow calls it once per provider call, so a pause
     * or cancel takes effect before the next one.
     */
    async sendInvitations({
      campaignId,
      accountId,
      limit,
    }: {
      campaignId: string;
      accountId: string;
      limit: number;
    }): Promise<BatchOutcome> {
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const { credentials, from } = await senderFor(account, campaign);
      await settle(
        credentials,
        await db.manager.findBy(Notification, { campaignId, state: 'pending', kind: 'invitation' }),
      );

      const now = new Date();
      const picked = await db.manager.find(Invite, {
        where: [
          { ...eligible(campaignId), expiresAt: IsNull() },
          { ...eligible(campaignId), expiresAt: MoreThan(now) },
        ],
        order: { id: 'ASC' },
        take: Math.min(limit, email.maxBatchSize),
      });
      const suppressedEmails = new Set(
        picked.length
          ? (await db.manager.findBy(Suppression, { accountId, email: In(picked.map((i) => i.email!)) })).map(
              (s) => s.email,
            )
          : [],
      );
      const suppressed = picked.filter((i) => suppressedEmails.has(i.email!));
      // The same rule as the recipient pages: only a link that works is worth an email.
      const toSend = picked.filter(
        (i) => !suppressedEmails.has(i.email!) && linkState({ campaign, invite: i, now }).state === 'ready',
      );

      const items = await db.transaction(async (em) => {
        if (suppressed.length) {
          await em.update(
            Invite,
            { id: In(suppressed.map((i) => i.id)) },
            { deliveryStatus: 'suppressed', deliveryError: 'address suppressed after a bounce or complaint' },
          );
        }
        const claimed = await claim(
          em,
          toSend.map((i) => ({
            accountId,
            campaignId,
            inviteId: i.id,
            kind: 'invitation' as const,
            idempotencyKey: `invitation:${i.id}`,
            recipient: i.email!,
          })),
        );
        if (claimed.length)
          await em.update(Invite, { id: In(claimed.map((n) => n.inviteId!)) }, { deliveryStatus: 'sending' });
        const byId = new Map(toSend.map((i) => [i.id, i]));
        return claimed.map((n) => {
          const invite = byId.get(n.inviteId!)!;
          return {
            notification: n,
            invite,
            message: invitationMessage(campaign, invite, from, n.idempotencyKey, 'invitation'),
          };
        });
      });
      heartbeat();
      const { outcomes, tokenInvalid } = await sendClaimed(credentials, items, eventVersion(campaign));
      const failures = outcomes.filter((o): o is Extract<SendOutcome, { ok: false }> => !o.ok);
      return {
        attempted: items.length,
        sent: outcomes.filter((o) => o.ok).length,
        failed: failures.filter((f) => !f.badAddress && !BAD_ADDRESS_CODES.has(f.errorCode)).length,
        badAddresses: failures.filter((f) => f.badAddress || BAD_ADDRESS_CODES.has(f.errorCode)).length,
        suppressed: suppressed.length,
        remaining: await countRemaining(campaignId),
        tokenInvalid,
      };
    },

    /**
     * Send notification again, or reset & resend (void the link, issue a new token, start
     * over). `key` comes from the workflow, so a retried activity sends once.
     */
    async resendInvite(input: {
      campaignId: string;
      accountId: string;
      inviteId: string;
      reset: boolean;
      key: string;
      actor: string;
    }): Promise<
      | { ok: true; inviteId: string; sent: boolean }
      | {
          ok: false;
          reason: 'not_found' | 'voided' | 'email_token_invalid' | 'no_email' | 'failed';
          detail?: string;
        }
    > {
      const { campaignId, accountId } = input;
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      let invite = await db.manager.findOneBy(Invite, { id: input.inviteId, campaignId, accountId });
      if (!invite) return { ok: false, reason: 'not_found' };
      if (input.reset) {
        invite = await db.transaction(async (em) => {
          const old = await em.findOneByOrFail(Invite, { id: input.inviteId });
          if (old.replacedById) return em.findOneByOrFail(Invite, { id: old.replacedById }); // a retry: already reset
          if (old.voidedAt) return null;
          const now = new Date();
          const fresh: Invite = {
            ...old,
            id: newId(),
            token: newInviteToken(),
            status: 'unused',
            journey: 'created',
            journeyAt: now,
            sentAt: null,
            deliveryStatus: null,
            deliveryError: null,
            usedAt: null,
            orderRef: null,
            reminderSentAt: null,
            expiredAt: null,
            voidedAt: null,
            replacedById: null,
            calendarSequence: null,
            createdAt: now,
          };
          await em.insert(Invite, fresh);
          await em.update(Invite, { id: old.id }, { voidedAt: now, replacedById: fresh.id });
          await em.insert(AuditEntry, {
            id: newId(),
            accountId,
            campaignId,
            dedupeKey: `${input.key}:reset`,
            at: now,
            actor: input.actor,
            action: 'invite_reset',
            fromStatus: null,
            toStatus: null,
            reason: `invite ${old.id} voided, replaced by ${fresh.id}`,
            details: JSON.stringify({ oldInviteId: old.id, newInviteId: fresh.id, email: old.email }),
          });
          return fresh;
        });
        if (!invite) return { ok: false, reason: 'voided' };
      } else if (invite.voidedAt) {
        return { ok: false, reason: 'voided' };
      }
      if (!invite.email) return { ok: true, inviteId: invite.id, sent: false }; // link-only: nothing to email
      const target = invite;
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const { credentials, from } = await senderFor(account, campaign);
      const key = input.reset ? `invitation:${target.id}` : input.key;
      const kind: NotificationKind = input.reset ? 'invitation' : 'resend';
      const existing = await db.manager.findOneBy(Notification, { idempotencyKey: key });
      if (existing?.state === 'sent') return { ok: true, inviteId: target.id, sent: true };
      if (existing?.state === 'pending') await settle(credentials, [existing]);
      const items = await db.transaction(async (em) => {
        const claimed = await claim(em, [
          { accountId, campaignId, inviteId: target.id, kind, idempotencyKey: key, recipient: target.email! },
        ]);
        return claimed.map((n) => ({
          notification: n,
          invite: target,
          message: invitationMessage(campaign, target, from, key, input.reset ? 'invitation' : 'resend'),
        }));
      });
      const { outcomes, tokenInvalid } = await sendClaimed(credentials, items, eventVersion(campaign));
      if (tokenInvalid) return { ok: false, reason: 'email_token_invalid' };
      const outcome = outcomes[0];
      if (outcome && !outcome.ok) return { ok: false, reason: 'failed', detail: outcome.message };
      if (!input.reset)
        await db.transaction((em) =>
          em.update(
            Invite,
            { id: target.id },
            { sentAt: new Date(), deliveryStatus: 'sent', deliveryError: null },
          ),
        );
      return { ok: true, inviteId: target.id, sent: true };
    },

    /**
     * One chunk of an "update calendar invites" pass: everyone already invited, after
     * `afterId`, gets the event's new version (same UID, the new SEQUENCE), once per version.
     */
    async sendCalendarUpdates(input: {
      campaignId: string;
      accountId: string;
      sequence: number;
      afterId: string | null;
      limit: number;
    }): Promise<{
      lastId: string | null;
      sent: number;
      tokenInvalid: boolean;
    }> {
      const { campaignId, accountId, sequence } = input;
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const { credentials, from } = await senderFor(account, campaign);
      await settle(
        credentials,
        await db.manager.findBy(Notification, { campaignId, state: 'pending', kind: 'calendar_update' }),
      );
      const invited = {
        campaignId,
        voidedAt: IsNull(),
        sentAt: Not(IsNull()),
        email: MoreThan(''),
        ...(input.afterId ? { id: MoreThan(input.afterId) } : {}),
      };
      const invites = await db.manager.find(Invite, {
        // Not those whose invitation already carried this version (sent while the pass runs).
        where: [
          { ...invited, calendarSequence: IsNull() },
          { ...invited, calendarSequence: LessThan(sequence) },
        ],
        order: { id: 'ASC' },
        take: Math.min(input.limit, email.maxBatchSize),
      });
      if (!invites.length || !campaign.event) return { lastId: null, sent: 0, tokenInvalid: false };
      const items = await db.transaction(async (em) => {
        const claimed = await claim(
          em,
          invites.map((i) => ({
            accountId,
            campaignId,
            inviteId: i.id,
            kind: 'calendar_update' as const,
            idempotencyKey: `calendar:${i.id}:${sequence}`,
            recipient: i.email!,
          })),
        );
        const byId = new Map(invites.map((i) => [i.id, i]));
        return claimed.map((n) => ({
          notification: n,
          invite: byId.get(n.inviteId!)!,
          message: invitationMessage(
            campaign,
            byId.get(n.inviteId!)!,
            from,
            n.idempotencyKey,
            'calendar_update',
          ),
        }));
      });
      const { outcomes, tokenInvalid } = await sendClaimed(credentials, items, eventVersion(campaign));
      return {
        lastId: tokenInvalid ? input.afterId : invites[invites.length - 1].id,
        sent: outcomes.filter((o) => o.ok).length,
        tokenInvalid,
      };
    },

    /** Failed deliveries (not bad addresses) become sendable again; returns how many. */
    async releaseFailed({
      campaignId,
      accountId,
    }: {
      campaignId: string;
      accountId: string;
    }): Promise<number> {
      return db.transaction(async (em) => {
        const failed = await em.find(Invite, {
          select: { id: true },
          where: { campaignId, accountId, deliveryStatus: 'failed', voidedAt: IsNull() },
        });
        if (!failed.length) return 0;
        const badAddress = new Set(
          (
            await em.findBy(Notification, {
              inviteId: In(failed.map((i) => i.id)),
              kind: 'invitation',
              state: 'failed',
              errorCode: In([...BAD_ADDRESS_CODES]),
            })
          ).map((n) => n.inviteId),
        );
        const retry = failed.filter((i) => !badAddress.has(i.id)).map((i) => i.id);
        if (retry.length)
          await em.update(Invite, { id: In(retry) }, { deliveryStatus: null, deliveryError: null });
        return retry.length;
      });
    },

    /** Owner emails go through the platform's sender, exactly once per key. */
    async notifyOwner(input: {
      campaignId: string;
      accountId: string;
      key: string;
      kind: 'owner_summary' | 'owner_alert';
      reason?: 'email_token_invalid' | 'failure_rate';
      detail?: string;
      /** With owner_summary: sum up the "update calendar invites" pass to this event version. */
      calendarVersion?: number;
    }): Promise<void> {
      const campaign = await db.manager.findOneByOrFail(Campaign, {
        id: input.campaignId,
        accountId: input.accountId,
      });
      const account = await db.manager.findOneByOrFail(Account, { id: input.accountId });
      let rendered;
      if (input.kind === 'owner_summary' && input.calendarVersion !== undefined) {
        const version = input.calendarVersion;
        const ofPass = {
          campaignId: campaign.id,
          kind: 'calendar_update' as const,
          idempotencyKey: Like(`calendar:%:${version}`),
        };
        const failed = await db.manager.find(Notification, {
          where: { ...ofPass, state: 'failed' },
          order: { id: 'ASC' },
          take: 1001,
        });
        rendered = renderOwnerSummary({
          campaignName: campaign.name,
          campaignId: campaign.id,
          sent: await db.manager.countBy(Notification, { ...ofPass, state: 'sent' }),
          failed: await db.manager.countBy(Notification, { ...ofPass, state: 'failed' }),
          failures: failed.map((n) => ({
            email: n.recipient,
            reason: n.error ?? 'failed',
          })),
          pass: { kind: 'calendar_update', version },
        });
      } else if (input.kind === 'owner_summary') {
        const failedInvites = await db.manager.find(Invite, {
          where: [
            { campaignId: campaign.id, deliveryStatus: 'failed', voidedAt: IsNull() },
            { campaignId: campaign.id, deliveryStatus: 'bounced', voidedAt: IsNull() },
            { campaignId: campaign.id, deliveryStatus: 'suppressed', voidedAt: IsNull() },
          ],
          order: { id: 'ASC' },
          take: 1001,
        });
        const sent = await db.manager.count(Invite, {
          where: { campaignId: campaign.id, voidedAt: IsNull(), sentAt: MoreThan(new Date(0)) },
        });
        const failedCount = await db.manager.count(Invite, {
          where: [
            {
              campaignId: campaign.id,
              deliveryStatus: In(['failed', 'bounced', 'suppressed']),
              voidedAt: IsNull(),
            },
          ],
        });
        rendered = renderOwnerSummary({
          campaignName: campaign.name,
          campaignId: campaign.id,
          sent,
          failed: failedCount,
          failures: failedInvites.map((i) => ({
            email: i.email ?? '(no address)',
            reason: i.deliveryError ?? i.deliveryStatus ?? 'failed',
          })),
        });
      } else {
        rendered = renderOwnerAlert({
          campaignName: campaign.name,
          campaignId: campaign.id,
          reason: input.reason!,
          detail: input.detail ?? '',
        });
      }
      const { credentials, from } = platformSender();
      const existing = await db.manager.findOneBy(Notification, { idempotencyKey: input.key });
      if (existing?.state === 'sent') return;
      if (existing?.state === 'pending') await settle(credentials, [existing]);
      const items = await db.transaction(async (em) =>
        (
          await claim(em, [
            {
              accountId: account.id,
              campaignId: campaign.id,
              inviteId: null,
              kind: input.kind,
              idempotencyKey: input.key,
              recipient: account.ownerEmail,
            },
          ])
        ).map((n) => ({
          notification: n,
          message: {
            from,
            to: account.ownerEmail,
            subject: rendered.subject,
            html: rendered.html,
            text: rendered.text,
            messageStream: 'outbound',
            metadata: {
              idempotencyKey: input.key,
              campaignId: campaign.id,
              accountId: account.id,
              kind: input.kind,
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
      // The owner must hear about it: a provider failure fails the activity, and Temporal
      // retries it (the failed claim is taken again), rather than recording it lost.
      const refused = outcomes.find((o) => !o.ok);
      if (refused && !refused.ok && !refused.badAddress) {
        throw ApplicationFailure.retryable(
          `owner email not accepted: ${refused.message}`,
          'owner_email_failed',
        );
      }
    },
  };
  return { activities, sendReminders };
}
