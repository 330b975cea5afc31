import type { Client } from '@temporalio/client';
import { In, LessThan } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { lockCampaign } from '../../db/locks';
import { progressOf } from '../../db/progress';
import {
  allows,
  emptyProgress,
  graceLasts,
  type Progress,
  revivable,
  settingsEditable,
  STARTED_STATUSES,
  waitsIn,
  workflowIdFor,
} from '../../domain/campaign';
import { type CampaignAction, campaignActions } from '../../domain/campaign-actions';
import { landingUrlAsUsed, landingUrlProblem } from '../../domain/landing';
import type { SendWindow } from '../../domain/send-window';
import { describeWindow } from '../../sending/policy';
import { AuditEntry } from '../../entities/AuditEntry';
import type { ApiKeyRole } from '../../entities/ApiKey';
import { Campaign } from '../../entities/Campaign';
import type { campaignWorkflow } from '../../workflows';
import {
  CAMPAIGN_WORKFLOW,
  type CommandRequest,
  type CommandResult,
  commandUpdate,
  sendingPolicyChangedSignal,
} from '../../workflows/campaign/messages';
import { AccountIdKey, CampaignIdKey, CampaignStatusKey } from '../../workflows/search-attributes';
import type { Caller } from '../auth';
import { InvalidStateError, NotFoundError, ServiceUnavailableError, ValidationError } from '../errors';
import type { CampaignView, CreateCampaign, ListCampaignsQuery, UpdateCampaign } from '../schemas';
import { AuditService } from './audit';
import { argumentOf, refusalError, updateFailure } from './command-answers';
import { decodeCursor, encodeCursor } from './cursor';
import { log } from '../../ops/log';

export const DEFAULT_COST_PER_INVITE_CENTS = 10;
export const DEFAULT_BATCH = { size: null, gapMinutes: 0 } as const;

export interface CampaignServiceDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  /** Each campaign's heartbeat timeout for its sends (HEARTBEAT_TIMEOUT_SECONDS); unset: the workflow's own. */
  heartbeatTimeoutMs?: number;
  /** Outside production a landing page may be `http://` on loopback (domain/landing.ts); default: production's rule. */
  production?: boolean;
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
      waitingReason: null,
      waitingUntil: null,
      sendWindow: input.sendWindow ?? null,
      remindersHeldUntil: null,
      remindersHeldSince: null,
      landingUrl: this.landingUrlToStore(input.landingUrl) ?? null,
      requireEmailMatch: input.requireEmailMatch ?? false,
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
    return toView(campaign, emptyProgress(), caller.role);
  }

  async get(caller: Caller, id: string): Promise<CampaignView> {
    const campaign = await this.load(caller, id);
    const progress = await this.progressOf([campaign.id]);
    return toView(campaign, progress.get(campaign.id) ?? emptyProgress(), caller.role);
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
      data: page.map((c) => toView(c, progress.get(c.id) ?? emptyProgress(), caller.role)),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /**
   * Launch, pause, resume, cancel, reschedule, extend expiry: all go to the campaign's
   * workflow as a Workflow Update, so the answer carries the status the command produced.
   */
  async command(caller: Caller, id: string, request: CommandRequest): Promise<CampaignView> {
    await this.sendCommand(caller, id, request);
    return this.get(caller, id);
  }

  /**
   * Sends a command to the campaign's workflow, which decides whether the campaign takes it
   * and logs a refusal; its answer becomes the matching domain error (command-answers.ts).
   */
  async sendCommand(
    caller: Caller,
    id: string,
    request: CommandRequest,
  ): Promise<Extract<CommandResult, { ok: true }>> {
    await this.load(caller, id); // another account's campaign is not found, not asked
    let result: CommandResult;
    try {
      result = await this.deps.temporal.workflow
        .getHandle(workflowIdFor(id))
        .executeUpdate(commandUpdate, { args: [{ ...request, actor: caller.keyId }] });
    } catch (err) {
      const failure = updateFailure(err);
      if (failure.kind === 'rejected')
        throw new ValidationError([{ field: argumentOf(request.type), message: failure.detail }]);
      if (failure.kind === 'unavailable')
        throw new ServiceUnavailableError(
          `The campaign's workflow did not answer (${(err as Error).message}); retry`,
        );
      // Its workflow has ended with the campaign, so it cannot refuse: the API answers in its
      // place, from the row, and logs the refusal as the workflow would have.
      const { status } = await this.load(caller, id);
      await this.audit.refused(caller, id, request.type, status);
      throw new InvalidStateError(request.type, status);
    }
    if (result.ok) return result;
    throw refusalError(request.type, result);
  }

  /**
   * All or nothing: every part is checked against the current status (and its values
   * against the clock) before any is applied, so a refused part leaves nothing changed.
   * Draft fields change only while draft; the dates and the failure threshold go through
   * the workflow (it holds them); the event goes last, as its calendar pass cannot be undone.
   */
  async update(caller: Caller, id: string, patch: UpdateCampaign): Promise<CampaignView> {
    const campaign = await this.load(caller, id);
    const {
      startAt,
      expiresAt,
      event,
      maxFailurePercent,
      sendWindow,
      landingUrl,
      requireEmailMatch,
      ...draftFields
    } = patch;
    const linkSettings = { landingUrl: this.landingUrlToStore(landingUrl), requireEmailMatch };
    const linkSettingsChange = landingUrl !== undefined || requireEmailMatch !== undefined;
    if (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now())
      throw new ValidationError([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
    const { status } = campaign;
    const inGrace = graceLasts(campaign.extendableUntil, Date.now());
    // The workflow's own rule (domain/campaign.ts), as the view's `actions` list it, asked of
    // every part before any is sent.
    const may = new Set(campaignActions(status, inGrace, caller.role));
    const parts: [present: boolean, command: string, action: CampaignAction][] = [
      [Object.keys(draftFields).length > 0, 'edit', 'edit'],
      [sendWindow !== undefined, SEND_WINDOW_EDIT, 'change_send_window'],
      [linkSettingsChange, LINK_SETTINGS_EDIT, 'change_link_settings'],
      [maxFailurePercent !== undefined, 'setMaxFailurePercent', 'set_max_failure_percent'],
      [startAt !== undefined, 'reschedule', 'reschedule'],
      [expiresAt !== undefined, 'extendExpiry', 'extend'],
      [event !== undefined, 'change the event of', 'change_event'],
    ];
    const refused = parts.find(([present, , action]) => present && !may.has(action));
    if (refused) {
      await this.audit.refused(caller, id, refused[1], status);
      throw new InvalidStateError(refused[1], status);
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
    if (sendWindow !== undefined && (await this.changeSendWindow(caller, id, sendWindow)))
      await this.sendingPolicyChanged(caller.accountId, id);
    if (linkSettingsChange) await this.changeLinkSettings(caller, id, linkSettings);
    if (maxFailurePercent !== undefined)
      await this.sendCommand(caller, id, { type: 'setMaxFailurePercent', maxFailurePercent });
    if (startAt !== undefined) await this.sendCommand(caller, id, { type: 'reschedule', startAt });
    if (expiresAt !== undefined) await this.sendCommand(caller, id, { type: 'extendExpiry', expiresAt });
    if (event !== undefined) await this.changeEvent(caller, id, event);
    return this.get(caller, id);
  }

  /**
   * A plain row update, not a workflow command: the workflow holds no copy of the window, the
   * sending activity reads it from the row for each chunk, so a launched campaign applies it
   * from its next email. Audited like the workflow's settings_changed, when it changes.
   */
  private async changeSendWindow(caller: Caller, id: string, window: SendWindow | null): Promise<boolean> {
    return this.deps.db.transaction(async (em) => {
      const campaign = await lockCampaign(em, id, caller.accountId);
      if (!campaign) throw new NotFoundError(`Campaign ${id}`);
      // Again under the lock: a cancel or an expiry may have come since the first look.
      if (!settingsEditable(campaign.status, graceLasts(campaign.extendableUntil, Date.now())))
        throw new InvalidStateError(SEND_WINDOW_EDIT, campaign.status);
      if (JSON.stringify(campaign.sendWindow) === JSON.stringify(window)) return false;
      await em.update(Campaign, { id }, { sendWindow: window, updatedAt: new Date() });
      await appendAudit(em, oneOffAuditKey('settings', newId()), {
        accountId: caller.accountId,
        campaignId: id,
        actor: caller.keyId,
        action: 'settings_changed',
        reason: `sendWindow: ${describeWindow(campaign.sendWindow, ACCOUNTS)} → ${describeWindow(window, ACCOUNTS)}`,
        details: { field: 'sendWindow', from: campaign.sendWindow, to: window },
      });
      return true;
    });
  }

  /**
   * Validation the schema cannot do (whether http to loopback is allowed depends on where we
   * run); a valid URL comes back as links will use it, which is what is stored.
   */
  private landingUrlToStore(url: string | null | undefined): string | null | undefined {
    if (url === '') return null; // what a link does with it: Herald's own page
    if (url === null || url === undefined) return url;
    const problem = landingUrlProblem(url, { production: this.deps.production ?? true });
    if (problem) throw new ValidationError([{ field: 'landingUrl', message: problem }]);
    return landingUrlAsUsed(url);
  }

  /**
   * Where links send recipients and whether they ask for the address first: plain row fields
   * read by each link request (api/usecases/links.ts), so they change whenever the send window
   * may, and apply to the next link opened. Audited like the send window, when they change.
   */
  private async changeLinkSettings(
    caller: Caller,
    id: string,
    settings: { landingUrl?: string | null; requireEmailMatch?: boolean },
  ): Promise<void> {
    await this.deps.db.transaction(async (em) => {
      const campaign = await lockCampaign(em, id, caller.accountId);
      if (!campaign) throw new NotFoundError(`Campaign ${id}`);
      if (!settingsEditable(campaign.status, graceLasts(campaign.extendableUntil, Date.now())))
        throw new InvalidStateError(LINK_SETTINGS_EDIT, campaign.status);
      const changes: Partial<Campaign> = {};
      if (settings.landingUrl !== undefined && settings.landingUrl !== campaign.landingUrl)
        changes.landingUrl = settings.landingUrl;
      if (
        settings.requireEmailMatch !== undefined &&
        settings.requireEmailMatch !== campaign.requireEmailMatch
      )
        changes.requireEmailMatch = settings.requireEmailMatch;
      for (const field of ['landingUrl', 'requireEmailMatch'] as const) {
        if (!(field in changes)) continue;
        await appendAudit(em, oneOffAuditKey('settings', newId()), {
          accountId: caller.accountId,
          campaignId: id,
          actor: caller.keyId,
          action: 'settings_changed',
          reason: `${field}: ${String(campaign[field] ?? "Herald's own page")} → ${String(changes[field] ?? "Herald's own page")}`,
          details: { field, from: campaign[field], to: changes[field] },
        });
      }
      if (Object.keys(changes).length)
        await em.update(Campaign, { id }, { ...changes, updatedAt: new Date() });
    });
  }

  /**
   * The policy changed (the account's, or one campaign's window): campaigns that may be
   * waiting work their wait out again now. Reminders held back are released to be looked at
   * again, and each workflow hears it (a signal; at-least-once is fine, it only looks again).
   */
  async sendingPolicyChanged(accountId: string, campaignId?: string): Promise<void> {
    const { db, temporal } = this.deps;
    const live = await db.manager.find(Campaign, {
      select: { id: true },
      where: {
        accountId,
        status: In([...STARTED_STATUSES]),
        ...(campaignId ? { id: campaignId } : {}),
      },
    });
    if (!live.length) return;
    const ids = live.map((c) => c.id);
    await db.transaction((em) =>
      em.update(Campaign, { id: In(ids) }, { remindersHeldUntil: null, remindersHeldSince: null }),
    );
    for (const id of ids) {
      try {
        await temporal.workflow.getHandle(workflowIdFor(id)).signal(sendingPolicyChangedSignal);
      } catch (err) {
        // The new policy is stored; this campaign applies it when its current wait ends.
        log.warn('sendingPolicyChanged signal failed', { campaignId: id, error: (err as Error).message });
      }
    }
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
      if (!allows(campaign.status, 'eventChanged'))
        throw new InvalidStateError('change the event of', campaign.status);
      const next = campaign.event ? campaign.eventSequence + 1 : campaign.eventSequence;
      await em.update(
        Campaign,
        { id },
        { event: event ? JSON.stringify(event) : null, eventSequence: next, updatedAt: new Date() },
      );
      return { sequence: next, status: campaign.status };
    });
    if (event && STARTED_STATUSES.has(status)) {
      await this.sendCommand(caller, id, { type: 'eventChanged', sequence });
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

/** The campaign as its caller sees it: `actions` are what this caller may ask of it now. */
export function toView(c: Campaign, progress: Progress, role: ApiKeyRole): CampaignView {
  const inGrace = graceLasts(c.extendableUntil, Date.now());
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    status: c.status,
    pausedReason: c.pausedReason,
    startAt: c.startAt?.toISOString() ?? null,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    extendableUntil:
      c.extendableUntil && revivable(c.status, inGrace) ? c.extendableUntil.toISOString() : null,
    waiting:
      c.waitingReason && c.waitingUntil && waitsIn(c.status) && c.waitingUntil.getTime() > Date.now()
        ? { reason: c.waitingReason, until: c.waitingUntil.toISOString() }
        : null,
    batch: { size: c.batchSize, gapMinutes: c.batchGapMinutes },
    costPerInviteCents: c.costPerInviteCents,
    maxFailurePercent: c.maxFailurePercent,
    event: c.event ? (JSON.parse(c.event) as CampaignView['event']) : null,
    email: { subject: c.emailSubject, fromName: c.emailFromName },
    sendWindow: c.sendWindow
      ? {
          timeZone: c.sendWindow.timeZone,
          days: c.sendWindow.days,
          from: c.sendWindow.from,
          to: c.sendWindow.to,
        }
      : null,
    landingUrl: c.landingUrl,
    requireEmailMatch: c.requireEmailMatch,
    reservedCents: c.reservedCents,
    progress,
    actions: campaignActions(c.status, inGrace, role),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const SEND_WINDOW_EDIT = 'change the send window of';
const LINK_SETTINGS_EDIT = 'change the link settings of';
const ACCOUNTS = "the account's";
