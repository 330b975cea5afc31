/**
 * The campaign's own sends, one chunk (one provider call) per activity: the invitations, and
 * the calendar passes through everyone invited. The workflow's one send step calls it
 * (workflows/campaign/steps.ts `sendStep`), so a pause or cancel takes effect before the next.
 */
import { sampledProgress } from '../db/progress';
import { sendableInvite } from '../db/invite-scopes';
import { Account } from '../entities/Account';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import type { SendKinds } from './send/kinds';
import type { SendPipeline } from './send/pipeline';
import type { DeliveryDeps, SendOutcome } from './send/types';

/** What the workflow asks to send next: which pass, and where it stands. */
export type SendChunkInput = { campaignId: string; accountId: string; limit: number } & (
  | { pass: 'invitations' }
  | { pass: 'calendar_update'; sequence: number; cursor: string | null }
  | { pass: 'calendar_cancel'; cursor: string | null }
);

export function sendingActivities(deps: DeliveryDeps, pipeline: SendPipeline, kinds: SendKinds) {
  const { db, email } = deps;
  const sampled = sampledProgress(db);

  /**
   * Counted up to `upTo`: the workflow only asks whether any are left, and a full count reads
   * every unsent invite of the campaign (a million on the first chunk), once per chunk.
   */
  async function countRemaining(campaignId: string, upTo: number): Promise<number> {
    const [sql, params] = db.manager
      .createQueryBuilder(Invite, 'i')
      // As for the pick (send/kinds.ts): MariaDB otherwise takes (campaignId, expiresAt) and
      // reads every invite already sent before finding the unsent.
      .useIndex('IDX_invites_campaign_unsent')
      .select('i.id')
      .where(sendableInvite(campaignId, new Date()))
      .limit(upTo)
      .getQueryAndParameters();
    const [row] = await db.manager.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS n FROM (${sql}) capped`,
      params,
    );
    return Number(row.n);
  }

  return {
    /** The next chunk (≤ `limit`, ≤ the provider's batch size) of a pass, exactly once each. */
    async sendChunk(input: SendChunkInput): Promise<SendOutcome> {
      const { campaignId, accountId } = input;
      const campaign = await db.manager.findOneByOrFail(Campaign, { id: campaignId, accountId });
      const account = await db.manager.findOneByOrFail(Account, { id: accountId });
      const limit = Math.min(input.limit, email.maxBatchSize);
      const step = { campaign, account, limit };
      switch (input.pass) {
        case 'calendar_update':
          return pipeline.run(kinds.calendarUpdate, {
            ...step,
            input: { sequence: input.sequence },
            cursor: input.cursor,
          });
        case 'calendar_cancel':
          return pipeline.run(kinds.calendarCancel, {
            ...step,
            input: { reason: campaign.status === 'expired' ? 'expired' : 'cancelled' },
            cursor: input.cursor,
          });
        case 'invitations': {
          const { failure: _, ...outcome } = await pipeline.run(kinds.invitation, {
            ...step,
            input: undefined,
          });
          const remaining = await countRemaining(campaignId, limit);
          // The last chunk's counters are always read: the workflow's last word on them.
          const progress = await sampled(campaignId, { now: remaining === 0 || outcome.held !== null });
          return { ...outcome, remaining, ...(progress ? { progress } : {}) };
        }
      }
    },
  };
}
