import { recordEvents } from '../webhooks/events';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { In, IsNull, MoreThan, Not } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../audit/log';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import { Notification, type NotificationKind } from '../entities/Notification';
import type { SendOutcome } from '../email/port';
import { progressOfCampaign, sampledProgress } from '../db/progress';
import type { Progress, Waiting } from '../domain/campaign';
import { linkState, reminderInstant, resetExpiry } from '../domain/link';
import { suppressedBecause, suppressionsAmong, whySuppressed } from '../recipients/suppressions';
import { zoneSchedule } from '../domain/send-window';
import { inZones, windowFor } from '../sending/account-policy';
import { calendarCancelActivities } from './calendar-cancels';
import { eventVersion, invitationMessages } from './invitation-message';
import { createNotifier, type DeliveryDeps, type Notifier } from './notifications';
import { liveInvite } from '../db/invite-scopes';

export interface BatchOutcome {
  attempted: number;
  sent: number;
  /** Refused for reasons other than the address: these count towards the failure-rate pause. */
  failed: number;
  badAddresses: number;
  suppressed: number;
  /** Invites that can still be sent after this call, counted up to the chunk size (0: none). */
  remaining: number;
  tokenInvalid: boolean;
  /**
   * The campaign's counters after this call (db/progress.ts), read here so the workflow needs
   * no second activity per chunk to show them. Absent from outcomes recorded before it existed,
   * and when the last count is recent for what a count costs (`sampledProgress`).
   */
  progress?: Progress;
  /**
   * Nothing was sent and the campaign must wait until then (the provider rate-limited the
   * call: its claims were released, so the same invites go, under the same keys, after).
   */
  wait?: Waiting;
}

export type ReminderSender = (
  campaign: Campaign,
  invites: Invite[],
) => Promise<{
  sent: number;
  tokenInvalid: boolean;
  /** Some were held back (the account's limit or the provider's): not before then. */
  heldUntil?: Date;
}>;

/** Invitations, resends and resets, retries of failures, and reminders: the campaign's sends. */
export function deliveryActivities(deps: DeliveryDeps, notifier: Notifier = createNotifier(deps)) {
  const { db, email } = deps;
  const { senderFor, settleOrTokenInvalid, settlePending, claimInviteEmails, sendClaimed, nextSlotFor } =
    notifier;
  const invitationMessage = invitationMessages(deps.publicBaseUrl);
  const { cancelReplaced } = calendarCancelActivities(deps, notifier);
  const sampled = sampledProgress(db);

  const eligible = (campaignId: string) => ({
    campaignId,
    ...liveInvite,
    sentAt: IsNull(),
    deliveryStatus: IsNull(),
    status: 'unused' as const,
    email: MoreThan(''),
  });

  /** Unsent invites that can still be sent at `now`, optionally of some recipients' zones only (never none: `inZones`). */
  const sendable = (campaignId: string, now: Date, zones?: (string | null)[]) => {
    const live = [
      { ...eligible(campaignId), expiresAt: IsNull() },
      { ...eligible(campaignId), expiresAt: MoreThan(now) },
    ];
    return zones ? live.flatMap((w) => inZones(w, zones)) : live;
  };

  /**
   * Counted up to `upTo`: the workflow only asks whether any are left, and a full count reads
   * every unsent invite of the campaign (a million on the first chunk), once per chunk.
   */
  async function countRemaining(campaignId: string, upTo: number): Promise<number> {
    const [sql, params] = db.manager
      .createQueryBuilder(Invite, 'i')
      // As for the next chunk (below): MariaDB otherwise takes (campaignId, expiresAt) and reads
      // every invite already sent before finding the unsent.
      .useIndex('IDX_invites_campaign_unsent')
      .select('i.id')
      .where(sendable(campaignId, new Date()))
      .limit(upTo)
      .getQueryAndParameters();
    const [row] = await db.manager.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS n FROM (${sql}) capped`,
      params,
    );
    return Number(row.n);
  }

  /** The recipients' zones among the campaign's unsent invites (null: no zone of their own). */
  async function zonesWaiting(campaignId: string, now: Date): Promise<(string | null)[]> {
    const rows = await db.manager
      .createQueryBuilder(Invite, 'i')
      .select('DISTINCT i.timeZone', 'zone')
      .where(sendable(campaignId, now))
      .getRawMany<{ zone: string | null }>();
    return rows.map((r) => r.zone);
  }

  /**
   * Reminders for invites that fell due: once each (key `reminder:<inviteId>`), through the
   * same claim → send → record path. A reminder that fails is recorded failed and not retried.
   */
  const sendReminders: ReminderSender = async (campaign, due) => {
    const account = await db.manager.findOneByOrFail(Account, { id: campaign.accountId });
    const { credentials, from } = await senderFor(account, campaign);
    if ((await settlePending(credentials, campaign.id, 'reminder')).tokenInvalid)
      return { sent: 0, tokenInvalid: true };
    const { items, held } = await db.transaction((em) =>
      claimInviteEmails(em, campaign, due, {
        kind: 'reminder',
        keyOf: (i) => `reminder:${i.id}`,
        render: (i, key) => invitationMessage(campaign, i, from, key, 'reminder'),
      }),
    );
    // Not claimed here: suppressed since its invitation (settled without an email), or claimed
    // elsewhere already (sent, or in flight: settled above or by that attempt). Held back by
    // the limit: still due, sent when a slot frees.
    const notDone = new Set([...items, ...held.map((invite) => ({ invite }))].map((c) => c.invite.id));
    const unclaimed = due.filter((i) => !notDone.has(i.id));
    const { outcomes, tokenInvalid, rateLimitedForMs } = await sendClaimed(
      credentials,
      items,
      eventVersion(campaign),
    );
    if (rateLimitedForMs !== undefined) {
      // The provider's limit: nothing went, all of them wait (the moot ones are marked anyway).
      if (unclaimed.length)
        await db.transaction((em) =>
          em.update(
            Invite,
            { id: In(unclaimed.map((i) => i.id)), reminderSentAt: IsNull() },
            { reminderSentAt: new Date() },
          ),
        );
      return { sent: 0, tokenInvalid: false, heldUntil: new Date(Date.now() + rateLimitedForMs) };
    }
    if (!tokenInvalid) {
      const failed = items.filter((_, k) => outcomes[k] && !outcomes[k].ok).map((c) => c.invite.id);
      const done = [...failed, ...unclaimed.map((i) => i.id)];
      if (done.length)
        await db.transaction((em) =>
          em.update(Invite, { id: In(done), reminderSentAt: IsNull() }, { reminderSentAt: new Date() }),
        );
    }
    return {
      sent: outcomes.filter((o) => o.ok).length,
      tokenInvalid,
      ...(held.length && !tokenInvalid ? { heldUntil: await nextSlotFor(campaign) } : {}),
    };
  };

  /**
   * A resend with no slot free (the account's limit, or the provider's): the activity is
   * retried when one frees, not before and not blind; the key it carries keeps it to one email.
   */
  const heldBack = (until: Date) =>
    ApplicationFailure.create({
      type: 'sending_limit',
      message: `the account's sending limit is reached until ${until.toISOString()}`,
      nextRetryDelay: Math.max(1, until.getTime() - Date.now()),
    });

  /** The API shows the wait from the row; the workflow keeps its own copy in its state. */
  async function showWait(campaign: Campaign, wait: Waiting | undefined): Promise<void> {
    await db.transaction((em) =>
      em.update(
        Campaign,
        { id: campaign.id },
        { waitingReason: wait?.reason ?? null, waitingUntil: wait ? new Date(wait.until) : null },
      ),
    );
  }

  /** Nothing sent this call: what is left, and the counters as they stand. */
  async function nothingSent(campaign: Campaign, extra: Partial<BatchOutcome> = {}): Promise<BatchOutcome> {
    return {
      attempted: 0,
      sent: 0,
      failed: 0,
      badAddresses: 0,
      suppressed: 0,
      remaining: await countRemaining(campaign.id, email.maxBatchSize),
      tokenInvalid: false,
      progress: await progressOfCampaign(db.manager, campaign.id),
      ...extra,
    };
  }

  /** Nothing sent: the provider refused the account's token (the workflow pauses the campaign). */
  const tokenRefused = (campaign: Campaign) => nothingSent(campaign, { tokenInvalid: true });

  /** Nothing sent: the campaign waits, and says so. */
  async function waitOn(campaign: Campaign, wait: Waiting): Promise<BatchOutcome> {
    await showWait(campaign, wait);
    return nothingSent(campaign, { wait });
  }

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
      if ((await settlePending(credentials, campaignId, 'invitation')).tokenInvalid)
        return tokenRefused(campaign);

      const now = new Date();
      // The send window, read on each recipient's clock: only recipients whose window is open
      // now are picked; when none is, the campaign waits for the first to open.
      const window = windowFor(account, campaign);
      const schedule = window
        ? zoneSchedule(window, await zonesWaiting(campaignId, now), now.getTime())
        : null;
      if (schedule && !schedule.open.length && schedule.nextOpening !== null)
        return waitOn(campaign, {
          reason: 'send_window',
          until: new Date(schedule.nextOpening).toISOString(),
        });
      // No zone open and none to wait for: nothing is waiting (its last invites expired or
      // were voided since the wait began). Not a query: no zones would select every invite.
      const picked =
        schedule && !schedule.open.length
          ? []
          : await db.manager
              .createQueryBuilder(Invite, 'i')
              // MariaDB otherwise walks the campaign in id order past every invite already
              // sent (and reads each row to see that), for every chunk. The unsent ones, in id
              // order, are this index's range.
              .useIndex('IDX_invites_campaign_unsent')
              .where(sendable(campaignId, now, schedule?.open))
              .orderBy('i.id', 'ASC')
              .limit(Math.min(limit, email.maxBatchSize))
              .getMany();
      if (!picked.length && schedule?.nextOpening)
        return waitOn(campaign, {
          reason: 'send_window',
          until: new Date(schedule.nextOpening).toISOString(),
        });
      const { items, suppressed, held } = await db.transaction(async (em) => {
        const claims = await claimInviteEmails(em, campaign, picked, {
          kind: 'invitation',
          keyOf: (i) => `invitation:${i.id}`,
          // The same rule as the recipient pages: only a link that works is worth an email.
          worth: (i) => linkState({ campaign, invite: i, now }).state === 'ready',
          render: (i, key) => invitationMessage(campaign, i, from, key, 'invitation', now),
        });
        for (const reason of new Set(claims.suppressed.map((s) => s.reason))) {
          const ids = claims.suppressed.filter((s) => s.reason === reason).map((s) => s.invite.id);
          await em.update(
            Invite,
            { id: In(ids) },
            { deliveryStatus: 'suppressed', deliveryError: whySuppressed(reason) },
          );
        }
        if (claims.items.length)
          await em.update(
            Invite,
            { id: In(claims.items.map((c) => c.invite.id)) },
            { deliveryStatus: 'sending' },
          );
        return claims;
      });
      heartbeat();
      const { outcomes, tokenInvalid, rateLimitedForMs } = await sendClaimed(
        credentials,
        items,
        eventVersion(campaign),
      );
      // The provider's rate limit, else the account's own: both wait the same way.
      const wait: Waiting | undefined =
        rateLimitedForMs !== undefined
          ? { reason: 'sending_limit', until: new Date(Date.now() + rateLimitedForMs).toISOString() }
          : held.length
            ? { reason: 'sending_limit', until: (await nextSlotFor(campaign)).toISOString() }
            : undefined;
      if (wait || (outcomes.length && campaign.waitingReason !== null)) await showWait(campaign, wait);
      const failures = outcomes.filter((o): o is Extract<SendOutcome, { ok: false }> => !o.ok);
      const remaining = await countRemaining(campaignId, Math.min(limit, email.maxBatchSize));
      // The last chunk's counters are always read: the workflow's last word on them.
      const progress = await sampled(campaignId, { now: remaining === 0 });
      return {
        // A rate-limited call released its claims: none of them was attempted.
        attempted: rateLimitedForMs === undefined ? items.length : 0,
        sent: outcomes.filter((o) => o.ok).length,
        failed: failures.filter((f) => !f.badAddress).length,
        badAddresses: failures.filter((f) => f.badAddress).length,
        suppressed: suppressed.length,
        remaining,
        tokenInvalid,
        ...(progress ? { progress } : {}),
        ...(wait ? { wait } : {}),
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
      /** A reset's new expiry (api/schemas.ts ExpiresIn); absent: as long as the original's. */
      expiresIn?: string;
      key: string;
      actor: string;
    }): Promise<
      | { ok: true; inviteId: string; sent: boolean }
      | {
          ok: false;
          reason: 'not_found' | 'voided' | 'suppressed' | 'email_token_invalid' | 'no_email' | 'failed';
          detail?: string;
        }
    > {
      const { campaignId, accountId } = input;
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      let invite = await db.manager.findOneBy(Invite, { id: input.inviteId, campaignId, accountId });
      if (!invite) return { ok: false, reason: 'not_found' };
      const refusal = async (email: string) => {
        const reason = (await suppressionsAmong(db.manager, deps.secrets, accountId, [email])).get(email);
        return reason
          ? {
              ok: false as const,
              reason: 'suppressed' as const,
              detail: `${email} is suppressed for this account after ${suppressedBecause(reason)}; Herald will not email it`,
            }
          : null;
      };
      // Refused before a reset voids anything; a retry of a reset already made goes on to its send.
      if (input.reset && invite.email && !invite.replacedById) {
        const refused = await refusal(invite.email);
        if (refused) return refused;
      }
      if (input.reset) {
        invite = await db.transaction(async (em) => {
          const old = await em.findOneByOrFail(Invite, { id: input.inviteId });
          if (old.replacedById) return em.findOneByOrFail(Invite, { id: old.replacedById }); // a retry: already reset
          if (old.voidedAt) return null;
          const now = new Date();
          // A fresh start, not the old dates: copied, an expired link was emailed dead.
          const expiresAt = resetExpiry(old, input.expiresIn, now);
          const fresh = newInvite(
            {
              accountId: old.accountId,
              campaignId: old.campaignId,
              email: old.email,
              name: old.name,
              timeZone: old.timeZone,
              expiresAt,
              reminderDaysBefore: old.reminderDaysBefore,
              // As an invite added with these settings gets it (api/usecases/invites.ts `add`).
              reminderAt: old.email ? reminderInstant(expiresAt, old.reminderDaysBefore) : null,
            },
            now,
          );
          // Its own event: the old one is cancelled below without touching this one.
          fresh.calendarUid = `${campaignId}.${fresh.id}@herald`;
          await em.insert(Invite, fresh);
          await em.update(Invite, { id: old.id }, { voidedAt: now, replacedById: fresh.id });
          await appendAudit(em, oneOffAuditKey('reset', old.id), {
            accountId,
            campaignId,
            at: now,
            actor: input.actor,
            action: 'invite_reset',
            reason: `invite ${old.id} voided, replaced by ${fresh.id}`,
            details: { oldInviteId: old.id, newInviteId: fresh.id, email: old.email },
          });
          await recordEvents(em, [
            {
              accountId,
              campaignId,
              type: 'invite.reset',
              key: old.id,
              at: now,
              data: { inviteId: old.id, newInviteId: fresh.id, campaignId },
            },
          ]);
          return fresh;
        });
        if (!invite) return { ok: false, reason: 'voided' };
      } else if (invite.voidedAt) {
        return { ok: false, reason: 'voided' };
      }
      if (!invite.email) return { ok: true, inviteId: invite.id, sent: false }; // link-only: nothing to email
      const target = invite;
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      if (input.reset) {
        // The old link's event leaves the calendar (once, however often this is retried).
        const old = await db.manager.findOneByOrFail(Invite, { id: input.inviteId });
        const cancelled = await cancelReplaced(campaign, account, old);
        if (cancelled.tokenInvalid) return { ok: false, reason: 'email_token_invalid' };
        if (cancelled.retryAt) throw heldBack(cancelled.retryAt);
      }
      const { credentials, from } = await senderFor(account, campaign);
      const key = input.reset ? `invitation:${target.id}` : input.key;
      const kind: NotificationKind = input.reset ? 'invitation' : 'resend';
      const existing = await db.manager.findOneBy(Notification, { idempotencyKey: key });
      if (existing?.state === 'sent') return { ok: true, inviteId: target.id, sent: true };
      if (existing?.state === 'pending') {
        // An earlier attempt passed the check and may have sent it: settle, never refuse now.
        if ((await settleOrTokenInvalid(credentials, [existing])).tokenInvalid)
          return { ok: false, reason: 'email_token_invalid' };
      } else {
        const refused = await refusal(target.email!);
        if (refused) return refused;
      }
      const { items, retryAt } = await db.transaction((em) =>
        claimInviteEmails(em, campaign, [target], {
          kind,
          keyOf: () => key,
          render: (i) => invitationMessage(campaign, i, from, key, input.reset ? 'invitation' : 'resend'),
          checkSuppressions: false, // answered above: refused with its reason, or an earlier attempt's claim
          priority: 'resend', // support's deliberate resend goes first, and counts
        }),
      );
      if (retryAt) throw heldBack(retryAt);
      const { outcomes, tokenInvalid, rateLimitedForMs } = await sendClaimed(
        credentials,
        items,
        eventVersion(campaign),
      );
      if (rateLimitedForMs !== undefined) throw heldBack(new Date(Date.now() + rateLimitedForMs));
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
          where: { campaignId, accountId, deliveryStatus: 'failed', ...liveInvite },
        });
        if (!failed.length) return 0;
        // The provider's rule, read back from the code each failure recorded.
        const badAddress = new Set(
          (
            await em.find(Notification, {
              select: { inviteId: true, errorCode: true },
              where: {
                inviteId: In(failed.map((i) => i.id)),
                kind: 'invitation',
                state: 'failed',
                errorCode: Not(IsNull()),
              },
            })
          )
            .filter((n) => email.isBadAddress(n.errorCode!))
            .map((n) => n.inviteId),
        );
        const retry = failed.filter((i) => !badAddress.has(i.id)).map((i) => i.id);
        if (retry.length)
          await em.update(Invite, { id: In(retry) }, { deliveryStatus: null, deliveryError: null });
        return retry.length;
      });
    },
  };
  return { activities, sendReminders };
}
