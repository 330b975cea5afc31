import type { EntityManager } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import { newId } from '../../db/ids';
import { allows, graceLasts, isTerminal, settingsEditable, STARTED_STATUSES } from '../../domain/campaign';
import { type CampaignAction, campaignActions } from '../../domain/campaign-actions';
import { landingUrlAsUsed, landingUrlProblem } from '../../domain/landing';
import type { SendWindow } from '../../domain/send-window';
import { Campaign } from '../../entities/Campaign';
import { describeWindow } from '../../sending/account-policy';
import type { Caller } from '../auth';
import { InvalidStateError, ValidationError } from '../errors';
import type { UpdateCampaign } from '../schemas';
import { AuditService } from './audit';
import { type CommandDeps, sendCommand, sendingPolicyChanged } from './campaign-commands';
import { inviteDefaultsToStore, type StoredInviteDefaults } from './invite-deadlines';
import { lockOwnedCampaign, ownedCampaign } from './owned';

/** PATCH /v1/campaigns/{id}: a campaign's settings, some as row updates, some as commands. */
export interface SettingsDeps extends CommandDeps {
  /** Outside production a landing page may be `http://` on loopback (domain/landing.ts); default: production's rule. */
  production?: boolean;
}

/**
 * All or nothing: every part is checked against the current status (and its values
 * against the clock) before any is applied, so a refused part leaves nothing changed.
 * Draft fields change only while draft; the dates and the failure threshold go through
 * the workflow (it holds them); the event goes last, as its calendar pass cannot be undone.
 */
export async function updateCampaign(
  deps: SettingsDeps,
  caller: Caller,
  id: string,
  patch: UpdateCampaign,
): Promise<void> {
  const campaign = await ownedCampaign(deps.db, caller, id);
  const {
    startAt,
    expiresAt,
    event,
    maxFailurePercent,
    sendWindow,
    landingUrl,
    requireEmailMatch,
    inviteDefaults,
    tracking,
    batch,
    ...ownFields
  } = patch;
  const linkSettings = {
    landingUrl: landingUrlToStore(landingUrl, deps.production),
    requireEmailMatch,
    trackOpens: tracking?.opens,
    trackLinks: tracking?.links,
    ...inviteDefaultsToStore(inviteDefaults, new Date()),
  };
  // How long links last (the invite defaults) is a link setting too: it may change while invites
  // may still be added, and applies to the next one added.
  const linkSettingsChange =
    landingUrl !== undefined ||
    requireEmailMatch !== undefined ||
    inviteDefaults !== undefined ||
    tracking !== undefined;
  if (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now())
    throw new ValidationError([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
  const { status } = campaign;
  // A draft's batches are its own fields (a row update, read again at launch); from the launch
  // on, the workflow holds them, so the change is its command and its next batch follows it.
  const batchByCommand = batch !== undefined && status !== 'draft';
  const draftFields: Omit<UpdateCampaign, 'batch'> & Pick<UpdateCampaign, 'batch'> =
    batch !== undefined && !batchByCommand ? { ...ownFields, batch } : ownFields;
  const inGrace = graceLasts(campaign.extendableUntil, Date.now());
  // The workflow's own rule (domain/campaign.ts), as the view's `actions` list it, asked of
  // every part before any is sent.
  const may = new Set(campaignActions(status, inGrace, caller.role));
  const parts: [present: boolean, command: string, action: CampaignAction][] = [
    [Object.keys(draftFields).length > 0, 'edit', 'edit'],
    [sendWindow !== undefined, SEND_WINDOW_EDIT, 'change_send_window'],
    [linkSettingsChange, LINK_SETTINGS_EDIT, 'change_link_settings'],
    [maxFailurePercent !== undefined, 'setMaxFailurePercent', 'set_max_failure_percent'],
    [batchByCommand, BATCH_EDIT, 'change_batch'],
    [startAt !== undefined, 'reschedule', 'reschedule'],
    [expiresAt !== undefined, 'extendExpiry', 'extend'],
    [event !== undefined, 'change the event of', 'change_event'],
  ];
  const refused = parts.find(([present, , action]) => present && !may.has(action));
  if (refused) {
    await new AuditService(deps.db).refused(caller, id, refused[1], status);
    throw new InvalidStateError(refused[1], status, refusalDetail(refused[1], status));
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
    const done = await deps.db.transaction((em) =>
      em.update(Campaign, { id, accountId: caller.accountId, status: 'draft' }, changes),
    );
    if (!done.affected)
      throw new InvalidStateError('edit', (await ownedCampaign(deps.db, caller, id)).status);
  }
  if (sendWindow !== undefined && (await changeSendWindow(deps, caller, id, sendWindow)))
    await sendingPolicyChanged(deps, caller.accountId, id);
  if (linkSettingsChange) await changeLinkSettings(deps, caller, id, linkSettings);
  if (maxFailurePercent !== undefined)
    await sendCommand(deps, caller, id, { type: 'setMaxFailurePercent', maxFailurePercent });
  if (batchByCommand) await sendCommand(deps, caller, id, { type: 'setBatch', batch });
  if (startAt !== undefined) await sendCommand(deps, caller, id, { type: 'reschedule', startAt });
  if (expiresAt !== undefined) await sendCommand(deps, caller, id, { type: 'extendExpiry', expiresAt });
  if (event !== undefined) await changeEvent(deps, caller, id, event);
}

/**
 * A plain row update, not a workflow command: the workflow holds no copy of the window, the
 * sending activity reads it from the row for each chunk, so a launched campaign applies it
 * from its next email. Audited like the workflow's settings_changed, when it changes.
 */
async function changeSendWindow(
  { db }: SettingsDeps,
  caller: Caller,
  id: string,
  window: SendWindow | null,
): Promise<boolean> {
  return db.transaction(async (em) => {
    const campaign = await lockEditable(em, caller, id, SEND_WINDOW_EDIT);
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
export function landingUrlToStore(
  url: string | null | undefined,
  production = true,
): string | null | undefined {
  if (url === '') return null; // what a link does with it: Herald's own page
  if (url === null || url === undefined) return url;
  const problem = landingUrlProblem(url, { production });
  if (problem) throw new ValidationError([{ field: 'landingUrl', message: problem }]);
  return landingUrlAsUsed(url);
}

/**
 * Where links send recipients and whether they ask for the address first: plain row fields
 * read by each link request (api/usecases/links.ts), so they change whenever the send window
 * may, and apply to the next link opened; and how long new links last (the invite defaults,
 * read by invite intake), from the next invite added. Audited like the send window, when
 * they change.
 */
async function changeLinkSettings(
  { db }: SettingsDeps,
  caller: Caller,
  id: string,
  settings: {
    landingUrl?: string | null;
    requireEmailMatch?: boolean;
    trackOpens?: boolean;
    trackLinks?: boolean;
  } & Partial<StoredInviteDefaults>,
): Promise<void> {
  await db.transaction(async (em) => {
    const campaign = await lockEditable(em, caller, id, LINK_SETTINGS_EDIT);
    const changes: Partial<Campaign> = {};
    for (const field of LINK_SETTINGS) {
      const value = settings[field];
      if (value !== undefined && value !== campaign[field]) Object.assign(changes, { [field]: value });
    }
    for (const field of LINK_SETTINGS) {
      if (!(field in changes)) continue;
      const none = NONE[field];
      await appendAudit(em, oneOffAuditKey('settings', newId()), {
        accountId: caller.accountId,
        campaignId: id,
        actor: caller.keyId,
        action: 'settings_changed',
        reason: `${field}: ${String(campaign[field] ?? none)} → ${String(changes[field] ?? none)}`,
        details: { field, from: campaign[field], to: changes[field] },
      });
    }
    if (Object.keys(changes).length) await em.update(Campaign, { id }, { ...changes, updatedAt: new Date() });
  });
}

/**
 * The event may change at any live status: the new version (SEQUENCE + 1) is stored, and a
 * launched campaign's workflow sends "update calendar invites" to everyone already invited.
 */
async function changeEvent(
  deps: SettingsDeps,
  caller: Caller,
  id: string,
  event: NonNullable<UpdateCampaign['event']> | null,
): Promise<void> {
  const { sequence, status } = await deps.db.transaction(async (em) => {
    const campaign = await lockOwnedCampaign(em, caller, id);
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
    await sendCommand(deps, caller, id, { type: 'eventChanged', sequence });
  }
}

/** Under the lock, checked again: a cancel or an expiry may have come since the first look. */
async function lockEditable(
  em: EntityManager,
  caller: Caller,
  id: string,
  command: string,
): Promise<Campaign> {
  const campaign = await lockOwnedCampaign(em, caller, id);
  if (!settingsEditable(campaign.status, graceLasts(campaign.extendableUntil, Date.now())))
    throw new InvalidStateError(command, campaign.status);
  return campaign;
}

/** The refusal's words: for an ended campaign, why nothing about its sending can change. */
function refusalDetail(command: string, status: Campaign['status']): string | undefined {
  if (command === BATCH_EDIT && isTerminal(status))
    return `Cannot change the batches of a campaign that is ${status}: it sends nothing more`;
  return undefined;
}

const BATCH_EDIT = 'change the batches of';
const SEND_WINDOW_EDIT = 'change the send window of';
const LINK_SETTINGS_EDIT = 'change the link settings of';
const LINK_SETTINGS = [
  'landingUrl',
  'requireEmailMatch',
  'inviteExpiresIn',
  'inviteReminderDaysBefore',
  // Tracking rides with the link settings: a row field each email reads as it is built.
  'trackOpens',
  'trackLinks',
] as const;
/** What an unset link setting means, as the audit log says it. */
const NONE: Record<(typeof LINK_SETTINGS)[number], string> = {
  landingUrl: "Herald's own page",
  requireEmailMatch: 'false',
  inviteExpiresIn: 'none',
  inviteReminderDaysBefore: 'none',
  trackOpens: 'false',
  trackLinks: 'false',
};
const ACCOUNTS = "the account's";
