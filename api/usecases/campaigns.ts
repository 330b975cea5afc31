import {
  ApplicationFailure,
  type Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { LessThan } from 'typeorm';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { lockCampaign } from '../../money/ledger';
import { progressOf } from '../../db/progress';
import { allows, emptyProgress, isTerminal, type Progress, workflowIdFor } from '../../domain/campaign';
import { INVALID_ARGUMENT } from '../../domain/failures';
import { AuditEntry } from '../../entities/AuditEntry';
import { Campaign } from '../../entities/Campaign';
import { campaignWorkflow } from '../../workflows';
import { type CommandRequest, type CommandResult, commandUpdate } from '../../workflows/campaign/messages';
import { AccountIdKey, CampaignIdKey, CampaignStatusKey } from '../../workflows/search-attributes';
import type { Caller } from '../auth';
import {
  ConflictError,
  InsufficientBalanceError,
  InvalidStateError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../errors';
import type { CampaignView, CreateCampaign, ListCampaignsQuery, UpdateCampaign } from '../schemas';
import { AuditService } from './audit';
import { decodeCursor, encodeCursor } from './cursor';

export const DEFAULT_COST_PER_INVITE_CENTS = 10;
export const DEFAULT_BATCH = { size: null, gapMinutes: 0 } as const;

/** The request field a command's `invalid_argument` refusal is about. */
const FIELD_OF: Partial<Record<CommandRequest['type'], string>> = {
  reschedule: 'startAt',
  extendExpiry: 'expiresAt',
  resend: 'inviteId',
  setMaxFailurePercent: 'maxFailurePercent',
};

export interface CampaignServiceDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
}

export class CampaignService {
  private readonly audit: AuditService;

  constructor(private readonly deps: CampaignServiceDeps) {
    this.audit = new AuditService(deps.db);
  }

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
      createdAt: now,
      updatedAt: now,
    };
    if (campaign.expiresAt && campaign.expiresAt <= now) {
      throw new ValidationError([{ field: 'expiresAt', message: 'must be in the future' }]);
    }
    await this.deps.db.transaction(async (em) => {
      await em.insert(Campaign, campaign);
      await em.insert(AuditEntry, {
        id: newId(),
        accountId: caller.accountId,
        campaignId: campaign.id,
        dedupeKey: `${campaign.id}:created`,
        at: now,
        actor: caller.keyId,
        action: 'created',
        fromStatus: null,
        toStatus: 'draft',
        reason: null,
        details: null,
      });
    });
    try {
      await this.deps.temporal.workflow.start(campaignWorkflow, {
        workflowId: workflowIdFor(campaign.id),
        taskQueue: this.deps.taskQueue,
        args: [{ campaignId: campaign.id, accountId: campaign.accountId, name: campaign.name }],
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
    return toView(campaign, emptyProgress());
  }

  async get(caller: Caller, id: string): Promise<CampaignView> {
    const campaign = await this.load(caller, id);
    const progress = await this.progressOf([campaign.id]);
    return toView(campaign, progress.get(campaign.id) ?? emptyProgress());
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
      data: page.map((c) => toView(c, progress.get(c.id) ?? emptyProgress())),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /**
   * Launch, pause, resume, cancel, reschedule, extend expiry: all go to the campaign's
   * workflow as a Workflow Update, so the answer carries the status the command produced.
   */
  async command(caller: Caller, id: string, request: CommandRequest): Promise<CampaignView> {
    await this.run(caller, id, request);
    return this.get(caller, id);
  }

  /** Sends a command to the campaign's workflow; a refusal becomes the matching domain error. */
  async run(
    caller: Caller,
    id: string,
    request: CommandRequest,
  ): Promise<Extract<CommandResult, { ok: true }>> {
    const campaign = await this.load(caller, id);
    const revivable = request.type === 'extendExpiry' && this.canExtend(campaign);
    if (isTerminal(campaign.status) && !revivable) {
      // The workflow has ended with its campaign; the refusal is still worth a line.
      await this.audit.refused(caller, id, request.type, campaign.status);
      throw new InvalidStateError(request.type, campaign.status);
    }
    let result: CommandResult;
    try {
      result = await this.deps.temporal.workflow
        .getHandle(workflowIdFor(id))
        .executeUpdate(commandUpdate, { args: [{ ...request, actor: caller.keyId }] });
    } catch (err) {
      // The update's validator found the arguments malformed: nothing reached the workflow.
      if (
        err instanceof WorkflowUpdateFailedError &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === INVALID_ARGUMENT
      )
        throw new ValidationError([
          { field: FIELD_OF[request.type] ?? '(body)', message: err.cause.message },
        ]);
      if (
        err instanceof WorkflowNotFoundError ||
        err instanceof WorkflowUpdateFailedError ||
        /completed|not found/i.test(String(err))
      ) {
        throw new InvalidStateError(request.type, (await this.load(caller, id)).status);
      }
      throw new ServiceUnavailableError(
        `The campaign's workflow did not answer (${(err as Error).message}); retry`,
      );
    }
    if (result.ok) return result;
    switch (result.code) {
      case 'invalid_state':
        throw new InvalidStateError(request.type, result.status);
      case 'insufficient_balance':
        throw new InsufficientBalanceError(result.requiredCents, result.availableCents);
      case 'invalid_argument':
        throw new ValidationError([{ field: FIELD_OF[request.type] ?? '(body)', message: result.detail }]);
      case 'not_found':
        throw new NotFoundError(result.detail);
      case 'delivery_failed':
        throw new ConflictError(`The email was not accepted: ${result.detail}`);
    }
  }

  /**
   * All or nothing: every part is checked against the current status (and its values
   * against the clock) before any is applied, so a refused part leaves nothing changed.
   * Draft fields change only while draft; the dates and the failure threshold go through
   * the workflow (it holds them); the event goes last, as its calendar pass cannot be undone.
   */
  async update(caller: Caller, id: string, patch: UpdateCampaign): Promise<CampaignView> {
    const campaign = await this.load(caller, id);
    const { startAt, expiresAt, event, maxFailurePercent, ...draftFields } = patch;
    if (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now())
      throw new ValidationError([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
    const parts: [boolean, string, boolean][] = [
      [Object.keys(draftFields).length > 0, 'edit', campaign.status === 'draft'],
      [
        maxFailurePercent !== undefined,
        'setMaxFailurePercent',
        allows(campaign.status, 'setMaxFailurePercent'),
      ],
      [startAt !== undefined, 'reschedule', allows(campaign.status, 'reschedule')],
      [expiresAt !== undefined, 'extendExpiry', this.canExtend(campaign)],
      [event !== undefined, 'change the event of', !isTerminal(campaign.status)],
    ];
    const refused = parts.find(([present, , allowed]) => present && !allowed);
    if (refused) {
      await this.audit.refused(caller, id, refused[1], campaign.status);
      throw new InvalidStateError(refused[1], campaign.status);
    }

    if (Object.keys(draftFields).length > 0) {
      const changes: Partial<Campaign> = { updatedAt: new Date() };
      if (draftFields.name !== undefined) changes.name = draftFields.name;
      if (draftFields.description !== undefined) changes.description = draftFields.description;
      if (draftFields.costPerInviteCents !== undefined)
        changes.costPerInviteCents = draftFields.costPerInviteCents;
      if (draftFields.batch)
        Object.assign(changes, {
          batchSize: draftFields.batch.size,
          batchGapMinutes: draftFields.batch.gapMinutes,
        });
      if (draftFields.email?.subject !== undefined) changes.emailSubject = draftFields.email.subject;
      if (draftFields.email?.fromName !== undefined) changes.emailFromName = draftFields.email.fromName;
      // Conditional on the status, so a launch racing this edit wins cleanly.
      const done = await this.deps.db.transaction((em) =>
        em.update(Campaign, { id, accountId: caller.accountId, status: 'draft' }, changes),
      );
      if (!done.affected) throw new InvalidStateError('edit', (await this.load(caller, id)).status);
    }
    if (maxFailurePercent !== undefined)
      await this.run(caller, id, { type: 'setMaxFailurePercent', maxFailurePercent });
    if (startAt !== undefined) await this.run(caller, id, { type: 'reschedule', startAt });
    if (expiresAt !== undefined) await this.run(caller, id, { type: 'extendExpiry', expiresAt });
    if (event !== undefined) await this.changeEvent(caller, id, event);
    return this.get(caller, id);
  }

  /** Extending the expiry: at any live status, or expired within the account's grace. */
  private canExtend(campaign: Campaign): boolean {
    if (campaign.status !== 'expired') return allows(campaign.status, 'extendExpiry');
    return campaign.extendableUntil !== null && campaign.extendableUntil.getTime() > Date.now();
  }

  /**
   * The event may change at any live status: the new version (SEQUENCE + 1) is stored, and a
   * launched campaign's workflow sends "update calendar invites" to everyone already invited.
   */
  private async changeEvent(
    caller: Caller,
    id: string,
    event: NonNullable<UpdateCampaign['event']> | null,
  ): Promise<void> {
    const { sequence, status } = await this.deps.db.transaction(async (em) => {
      const campaign = await lockCampaign(em, id, caller.accountId);
      if (!campaign) throw new NotFoundError(`Campaign ${id}`);
      if (isTerminal(campaign.status)) throw new InvalidStateError('change the event of', campaign.status);
      const next = campaign.event ? campaign.eventSequence + 1 : campaign.eventSequence;
      await em.update(
        Campaign,
        { id },
        { event: event ? JSON.stringify(event) : null, eventSequence: next, updatedAt: new Date() },
      );
      return { sequence: next, status: campaign.status };
    });
    if (event && (status === 'launching' || status === 'active' || status === 'paused')) {
      await this.run(caller, id, { type: 'eventChanged', sequence });
    }
  }

  /** Another account's campaign is indistinguishable from one that does not exist. */
  async load(caller: Caller, id: string): Promise<Campaign> {
    const campaign = await this.deps.db.manager.findOneBy(Campaign, { id, accountId: caller.accountId });
    if (!campaign) throw new NotFoundError(`Campaign ${id}`);
    return campaign;
  }

  /** Invite counts per campaign, in one grouped query for a whole page (db/progress.ts). */
  private progressOf(campaignIds: string[]): Promise<Map<string, Progress>> {
    return progressOf(this.deps.db.manager, campaignIds);
  }
}

export function toView(c: Campaign, progress: Progress): CampaignView {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    status: c.status,
    pausedReason: c.pausedReason,
    startAt: c.startAt?.toISOString() ?? null,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    extendableUntil:
      c.status === 'expired' && c.extendableUntil && c.extendableUntil.getTime() > Date.now()
        ? c.extendableUntil.toISOString()
        : null,
    batch: { size: c.batchSize, gapMinutes: c.batchGapMinutes },
    costPerInviteCents: c.costPerInviteCents,
    maxFailurePercent: c.maxFailurePercent,
    event: c.event ? (JSON.parse(c.event) as CampaignView['event']) : null,
    email: { subject: c.emailSubject, fromName: c.emailFromName },
    reservedCents: c.reservedCents,
    progress,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
