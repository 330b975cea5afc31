import { LessThan } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import { newId } from '../../db/ids';
import { progressOf } from '../../db/progress';
import { accepts, emptyProgress, type Progress, workflowIdFor } from '../../domain/campaign';
import { AuditEntry } from '../../entities/AuditEntry';
import { Campaign } from '../../entities/Campaign';
import type { campaignWorkflow } from '../../workflows';
import { CAMPAIGN_WORKFLOW, type CommandRequest } from '../../workflows/campaign/messages';
import { AccountIdKey, CampaignIdKey, CampaignStatusKey } from '../../workflows/search-attributes';
import type { Caller } from '../auth';
import { ServiceUnavailableError, ValidationError } from '../errors';
import type { CampaignView, CreateCampaign, ListCampaignsQuery, UpdateCampaign } from '../schemas';
import { sendCommand, sendingPolicyChanged } from './campaign-commands';
import { landingUrlToStore, type SettingsDeps, updateCampaign } from './campaign-settings';
import { campaignView } from './campaign-view';
import { decodeCursor, encodeCursor } from './cursor';
import { inviteDefaultsToStore, NO_INVITE_DEFAULTS } from './invite-deadlines';
import { ownedCampaign } from './owned';
import type { SenderCheck } from './sender-check';

export const DEFAULT_COST_PER_INVITE_CENTS = 10;
export const DEFAULT_BATCH = { size: null, gapMinutes: 0 } as const;

export interface CampaignServiceDeps extends SettingsDeps {
  taskQueue: string;
  /** Each campaign's heartbeat timeout for its sends (HEARTBEAT_TIMEOUT_SECONDS); unset: the workflow's own. */
  heartbeatTimeoutMs?: number;
  /** Launch asks it first (sender-check.ts); unset: launch does not check the sender. */
  sender?: SenderCheck;
}

/**
 * The campaigns API's use cases: creating a campaign and reading them are here; commands go to
 * its workflow (campaign-commands.ts); the PATCH of its settings is campaign-settings.ts; the
 * campaign as its caller sees it is campaign-view.ts.
 */
export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  /** A draft row, then its workflow: the workflow owns the status from here on. */
  async create(caller: Caller, input: CreateCampaign): Promise<CampaignView> {
    const now = new Date();
    const campaign: Campaign = {
      id: newId(now.getTime()),
      accountId: caller.accountId,
      name: input.name,
      description: input.description ?? null,
      status: 'draft',
      pausedReason: null,
      pausedFrom: null,
      startAt: input.startAt ? new Date(input.startAt) : null,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      batchSize: input.batch ? input.batch.size : DEFAULT_BATCH.size,
      batchGapMinutes: input.batch?.gapMinutes ?? DEFAULT_BATCH.gapMinutes,
      costPerInviteCents: input.costPerInviteCents ?? DEFAULT_COST_PER_INVITE_CENTS,
      emailSubject: input.email?.subject ?? null,
      emailFromName: input.email?.fromName ?? null,
      maxFailurePercent: input.maxFailurePercent ?? 20,
      event: input.event ? JSON.stringify(input.event) : null,
      eventSequence: 0,
      reservedCents: 0,
      extendableUntil: null,
      waitingReason: null,
      waitingUntil: null,
      sendWindow: input.sendWindow ?? null,
      waitingSince: null,
      landingUrl: landingUrlToStore(input.landingUrl, this.deps.production) ?? null,
      requireEmailMatch: input.requireEmailMatch ?? false,
      trackOpens: input.tracking?.opens ?? false,
      trackLinks: input.tracking?.links ?? false,
      ...(inviteDefaultsToStore(input.inviteDefaults, now) ?? NO_INVITE_DEFAULTS),
      createdAt: now,
      updatedAt: now,
    };
    if (campaign.expiresAt && campaign.expiresAt <= now) {
      throw new ValidationError([{ field: 'expiresAt', message: 'must be in the future' }]);
    }
    await this.deps.db.transaction(async (em) => {
      await em.insert(Campaign, campaign);
      await appendAudit(em, oneOffAuditKey('created', campaign.id), {
        accountId: caller.accountId,
        campaignId: campaign.id,
        at: now,
        actor: caller.keyId,
        action: 'created',
        toStatus: 'draft',
      });
    });
    try {
      await this.deps.temporal.workflow.start<typeof campaignWorkflow>(CAMPAIGN_WORKFLOW, {
        workflowId: workflowIdFor(campaign.id),
        taskQueue: this.deps.taskQueue,
        args: [
          {
            campaignId: campaign.id,
            accountId: campaign.accountId,
            name: campaign.name,
            ...(this.deps.heartbeatTimeoutMs ? { heartbeatTimeoutMs: this.deps.heartbeatTimeoutMs } : {}),
          },
        ],
        typedSearchAttributes: [
          { key: CampaignIdKey, value: campaign.id },
          { key: AccountIdKey, value: campaign.accountId },
          { key: CampaignStatusKey, value: 'draft' },
        ],
        memo: { name: campaign.name },
      });
    } catch (err) {
      // Without its workflow the campaign could never launch: take the row back.
      await this.deps.db.transaction(async (em) => {
        await em.delete(AuditEntry, { campaignId: campaign.id });
        await em.delete(Campaign, { id: campaign.id });
      });
      throw new ServiceUnavailableError(
        `Could not start the campaign's workflow (${(err as Error).message}); nothing was created, retry`,
      );
    }
    return campaignView(campaign, emptyProgress(), caller.role);
  }

  async get(caller: Caller, id: string): Promise<CampaignView> {
    const campaign = await this.load(caller, id);
    const progress = await this.progressOf([campaign.id]);
    return campaignView(campaign, progress.get(campaign.id) ?? emptyProgress(), caller.role);
  }

  async list(
    caller: Caller,
    query: ListCampaignsQuery,
  ): Promise<{ data: CampaignView[]; nextCursor: string | null }> {
    const rows = await this.deps.db.manager.find(Campaign, {
      where: {
        accountId: caller.accountId,
        ...(query.status ? { status: query.status } : {}),
        ...(query.cursor ? { id: LessThan(decodeCursor(query.cursor)) } : {}),
      },
      order: { id: 'DESC' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const progress = await this.progressOf(page.map((c) => c.id));
    return {
      data: page.map((c) => campaignView(c, progress.get(c.id) ?? emptyProgress(), caller.role)),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /**
   * Launch, pause, resume, cancel, reschedule, extend expiry: all go to the campaign's
   * workflow as a Workflow Update, so the answer carries the status the command produced.
   */
  async command(caller: Caller, id: string, request: CommandRequest): Promise<CampaignView> {
    if (request.type === 'launch') await this.senderReadyToLaunch(caller, id);
    await this.sendCommand(caller, id, request);
    return this.get(caller, id);
  }

  /**
   * A campaign that would launch checks its sender first: a dead token or no from address is
   * `409 sender_not_ready` while it is still a draft, rather than a launch that pauses a moment
   * later. One that would not launch gets the workflow's own answer.
   */
  private async senderReadyToLaunch(caller: Caller, id: string): Promise<void> {
    if (!this.deps.sender) return;
    const campaign = await this.load(caller, id);
    if (!accepts(campaign.status, 'launch', false)) return;
    await this.deps.sender.ready(caller.accountId, campaign);
  }

  /** The command as the workflow answered it (campaign-commands.ts). */
  sendCommand(caller: Caller, id: string, request: CommandRequest) {
    return sendCommand(this.deps, caller, id, request);
  }

  /** See campaign-settings.ts. */
  async update(caller: Caller, id: string, patch: UpdateCampaign): Promise<CampaignView> {
    await updateCampaign(this.deps, caller, id, patch);
    return this.get(caller, id);
  }

  /** The account's sending policy, or one campaign's window, changed (campaign-commands.ts). */
  sendingPolicyChanged(accountId: string, campaignId?: string): Promise<void> {
    return sendingPolicyChanged(this.deps, accountId, campaignId);
  }

  /** Another account's campaign is indistinguishable from one that does not exist. */
  load(caller: Caller, id: string): Promise<Campaign> {
    return ownedCampaign(this.deps.db, caller, id);
  }

  /** Invite counts per campaign, in one grouped query for a whole page (db/progress.ts). */
  private progressOf(campaignIds: string[]): Promise<Map<string, Progress>> {
    return progressOf(this.deps.db.manager, campaignIds);
  }
}
