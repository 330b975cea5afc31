import { ApplicationFailure } from '@temporalio/activity';
import { appendAudit, workflowAuditKey } from '../audit/log';
import { progressOfCampaign } from '../db/progress';
import {
  batchProblem,
  type BatchSettings,
  type CampaignStatus,
  describeBatch,
  type PausedReason,
  type Progress,
  type ResumablePhase,
  SENDING_STATUSES,
} from '../domain/campaign';
import { INVALID_ARGUMENT } from '../domain/failures';
import { DAY_MS, INSTANT_RANGE_MESSAGE, instantInRange } from '../domain/instant';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { type NewEvent, recordEvents } from '../webhooks/events';
import { announceDemand, forgetDemand } from '../sending/limits';
import type { ActivityDeps } from './deps';

/** What the workflow needs to know of its campaign's row: plain, serialisable data. */
export interface CampaignSnapshot {
  status: CampaignStatus;
  startAt: string | null;
  expiresAt: string | null;
  batch: { size: number | null; gapMinutes: number };
  costPerInviteCents: number;
  maxFailurePercent: number;
  /** Messages one provider call may carry (the email port's batch size): the workflow's chunk. */
  providerBatchSize: number;
}

interface AuditInput {
  campaignId: string;
  accountId: string;
  /** The workflow's sequence number for this entry: its dedupe key (audit/log.ts) makes retries no-ops. */
  seq: number;
  actor: string;
  action: string;
  status: CampaignStatus;
  reason: string | null;
  details?: Record<string, unknown>;
}

export interface TransitionInput {
  campaignId: string;
  accountId: string;
  seq: number;
  from: CampaignStatus;
  to: CampaignStatus;
  actor: string;
  reason: string | null;
  pausedFrom: ResumablePhase | null;
  pausedReason: PausedReason | null;
}

export interface ScheduleInput {
  campaignId: string;
  accountId: string;
  seq: number;
  actor: string;
  field: 'startAt' | 'expiresAt';
  value: string;
  previous: string | null;
}

export interface SettingInput {
  campaignId: string;
  accountId: string;
  seq: number;
  actor: string;
  field: 'maxFailurePercent';
  value: number;
  previous: number;
}

export interface BatchInput {
  campaignId: string;
  accountId: string;
  seq: number;
  actor: string;
  value: BatchSettings;
  previous: BatchSettings;
}

export function campaignActivities({ db, email, afterCommit }: ActivityDeps) {
  return {
    async loadCampaign(campaignId: string): Promise<CampaignSnapshot> {
      const c = await db.manager.findOneBy(Campaign, { id: campaignId });
      if (!c) throw ApplicationFailure.nonRetryable(`Campaign ${campaignId} does not exist`, 'not_found');
      return {
        status: c.status,
        startAt: c.startAt?.toISOString() ?? null,
        expiresAt: c.expiresAt?.toISOString() ?? null,
        batch: { size: c.batchSize, gapMinutes: c.batchGapMinutes },
        costPerInviteCents: c.costPerInviteCents,
        maxFailurePercent: c.maxFailurePercent,
        providerBatchSize: email.maxBatchSize,
      };
    },

    /** A status change: the campaign row and its audit entry, in one transaction. */
    async recordTransition(t: TransitionInput): Promise<void> {
      await db.transaction(async (em) => {
        const fresh = await appendAudit(em, workflowAuditKey(t.campaignId, t.seq), {
          accountId: t.accountId,
          campaignId: t.campaignId,
          actor: t.actor,
          action: 'status_changed',
          fromStatus: t.from,
          toStatus: t.to,
          reason: t.reason,
        });
        if (fresh) {
          await em.update(
            Campaign,
            { id: t.campaignId },
            {
              status: t.to,
              pausedFrom: t.pausedFrom,
              pausedReason: t.pausedReason,
              // Revived within the grace: nothing left to extend "after expiry".
              ...(t.from === 'expired' ? { extendableUntil: null } : {}),
              updatedAt: new Date(),
            },
          );
          const at = new Date();
          const events: NewEvent[] = [
            {
              accountId: t.accountId,
              campaignId: t.campaignId,
              type: 'campaign.status_changed',
              key: `${t.campaignId}:${t.seq}`,
              at,
              data: {
                campaignId: t.campaignId,
                from: t.from,
                to: t.to,
                reason: t.reason,
                // Why it paused, as the campaign view says it (`complaint_rate`, `manual`…).
                ...(t.to === 'paused' ? { pausedReason: t.pausedReason } : {}),
              },
            },
          ];
          // The last batch is out: every invite was sent or failed (SPEC "Outgoing webhooks").
          if (t.from === 'launching' && t.to === 'active')
            events.push({
              accountId: t.accountId,
              campaignId: t.campaignId,
              type: 'campaign.finished',
              key: t.campaignId,
              at,
              data: { campaignId: t.campaignId, counts: await progressOfCampaign(em, t.campaignId) },
            });
          await recordEvents(em, events);
          // Launching campaigns of an account share its sending limits from their first window
          // (sending/limits.ts); one that stops sending hands its share back at once.
          if (t.to === 'launching') await announceDemand(em, t.accountId, t.campaignId, at);
          else if (SENDING_STATUSES.has(t.from)) await forgetDemand(em, t.accountId, t.campaignId);
        }
      });
      await afterCommit?.('recordTransition');
    },

    /**
     * Just expired: fixes the end of the grace its account allows (expiry + expiryGraceDays)
     * on the row, where the API reads it. Null when there is none, or it is already over.
     */
    async openExpiryGrace({
      campaignId,
      accountId,
    }: {
      campaignId: string;
      accountId: string;
    }): Promise<{ until: string | null }> {
      return db.transaction(async (em) => {
        const campaign = await em.findOneByOrFail(Campaign, { id: campaignId, accountId });
        const account = await em.findOneByOrFail(Account, { id: accountId });
        if (!campaign.expiresAt || account.expiryGraceDays <= 0) return { until: null };
        const until = new Date(campaign.expiresAt.getTime() + account.expiryGraceDays * DAY_MS);
        if (until.getTime() <= Date.now()) return { until: null };
        await em.update(Campaign, { id: campaignId }, { extendableUntil: until });
        return { until: until.toISOString() };
      });
    },

    /** A refused command, or any other event worth a line in the audit log. */
    async recordAudit(a: AuditInput): Promise<void> {
      await db.transaction((em) =>
        appendAudit(em, workflowAuditKey(a.campaignId, a.seq), {
          accountId: a.accountId,
          campaignId: a.campaignId,
          actor: a.actor,
          action: a.action,
          fromStatus: a.status,
          reason: a.reason,
          details: a.details,
        }),
      );
    },

    /** A moved start date or expiry: the row and the audit entry, in one transaction. */
    async recordSchedule(s: ScheduleInput): Promise<void> {
      // Signals reach here without the API's validation: a date no column can hold is refused, not retried.
      if (!instantInRange(Date.parse(s.value)))
        throw ApplicationFailure.nonRetryable(`${s.field} ${INSTANT_RANGE_MESSAGE}`, INVALID_ARGUMENT);
      await db.transaction(async (em) => {
        const fresh = await appendAudit(em, workflowAuditKey(s.campaignId, s.seq), {
          accountId: s.accountId,
          campaignId: s.campaignId,
          actor: s.actor,
          action: s.field === 'startAt' ? 'rescheduled' : 'expiry_changed',
          reason: `${s.field}: ${s.previous ?? 'none'} → ${s.value}`,
          details: { field: s.field, from: s.previous, to: s.value },
        });
        if (fresh)
          await em.update(
            Campaign,
            { id: s.campaignId },
            { [s.field]: new Date(s.value), updatedAt: new Date() },
          );
      });
    },

    /** A changed setting the workflow holds (the failure-rate threshold): the row and the audit entry. */
    async recordSetting(s: SettingInput): Promise<void> {
      if (!Number.isInteger(s.value) || s.value < 1 || s.value > 100)
        throw ApplicationFailure.nonRetryable(
          `${s.field} must be an integer from 1 to 100`,
          INVALID_ARGUMENT,
        );
      await db.transaction(async (em) => {
        const fresh = await appendAudit(em, workflowAuditKey(s.campaignId, s.seq), {
          accountId: s.accountId,
          campaignId: s.campaignId,
          actor: s.actor,
          action: 'settings_changed',
          reason: `${s.field}: ${s.previous} → ${s.value}`,
          details: { field: s.field, from: s.previous, to: s.value },
        });
        if (fresh)
          await em.update(Campaign, { id: s.campaignId }, { [s.field]: s.value, updatedAt: new Date() });
      });
    },

    /** Changed batches of a launched campaign (the workflow holds them): the row and the audit entry. */
    async recordBatch(b: BatchInput): Promise<void> {
      const problem = batchProblem(b.value);
      if (problem) throw ApplicationFailure.nonRetryable(problem, INVALID_ARGUMENT);
      await db.transaction(async (em) => {
        const fresh = await appendAudit(em, workflowAuditKey(b.campaignId, b.seq), {
          accountId: b.accountId,
          campaignId: b.campaignId,
          actor: b.actor,
          action: 'settings_changed',
          reason: `batch: ${describeBatch(b.previous)} → ${describeBatch(b.value)}`,
          details: { field: 'batch', from: b.previous, to: b.value },
        });
        if (fresh)
          await em.update(
            Campaign,
            { id: b.campaignId },
            { batchSize: b.value.size, batchGapMinutes: b.value.gapMinutes, updatedAt: new Date() },
          );
      });
    },

    /** The campaign's counters, by the one definition the API and the owner summary use. */
    async campaignProgress({ campaignId }: { campaignId: string }): Promise<Progress> {
      return progressOfCampaign(db.manager, campaignId);
    },
  };
}
