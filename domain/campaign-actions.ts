import type { ApiKeyRole } from '../entities/ApiKey';
import {
  accepts,
  acceptsInvites,
  type CampaignStatus,
  type Command,
  editable,
  isTerminal,
  settingsEditable,
} from './campaign';

/**
 * What a caller may do to a campaign now, by name: the campaign view lists them (`actions`)
 * so a client shows what the API would take instead of deciding by status itself, and the
 * API's own checks ask the same rules.
 */
export const CAMPAIGN_ACTIONS = [
  'launch',
  'pause',
  'resume',
  'cancel',
  'edit',
  'reschedule',
  'extend',
  'change_event',
  'change_send_window',
  'change_link_settings',
  'set_max_failure_percent',
  'change_batch',
  'retry_failed',
  'add_invites',
  'resend',
  'reset',
  'preview',
  'test_send',
] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

/**
 * Support keeps campaigns going and helps recipients; the rest needs an admin key (api/auth.ts
 * `adminOnly`). Changing the batches is an admin's too: it is a campaign setting (how fast it
 * spends the account's sending limits), and the seed's path that asks for it starts from
 * renewing the email token, an admin's task; support resumes the campaign afterwards.
 */
const SUPPORT_MAY: ReadonlySet<CampaignAction> = new Set(['pause', 'resume', 'resend', 'reset', 'preview']);

/**
 * Its email is still to be sent: what it will look like is worth seeing (preview) and trying
 * (test send). Once it has ended, every link of it is dead.
 */
export const emailAhead = (status: CampaignStatus): boolean => !isTerminal(status);

const command =
  (c: Command) =>
  (status: CampaignStatus, inGrace: boolean): boolean =>
    accepts(status, c, inGrace);

/** Each action's rule, in the campaign's terms (domain/campaign.ts): one owner for each. */
const RULES: Record<CampaignAction, (status: CampaignStatus, inGrace: boolean) => boolean> = {
  launch: command('launch'),
  pause: command('pause'),
  resume: command('resume'),
  cancel: command('cancel'),
  edit: editable,
  reschedule: command('reschedule'),
  // Within the grace an expired campaign takes it, and comes back.
  extend: command('extendExpiry'),
  change_event: command('eventChanged'),
  change_send_window: settingsEditable,
  change_link_settings: settingsEditable,
  set_max_failure_percent: command('setMaxFailurePercent'),
  // A draft's batches are one of its own fields; once launched, a command to its workflow.
  change_batch: (status, inGrace) => editable(status) || accepts(status, 'setBatch', inGrace),
  retry_failed: command('retryFailed'),
  add_invites: acceptsInvites,
  // A reset is a resend with a fresh link: the workflow takes both as one command.
  resend: command('resend'),
  reset: command('resend'),
  preview: emailAhead,
  test_send: emailAhead,
};

/**
 * The actions a caller of this role may take on a campaign in this status; `inGrace`: an
 * expired campaign's grace still lasts (`graceLasts`). In CAMPAIGN_ACTIONS order.
 */
export const campaignActions = (
  status: CampaignStatus,
  inGrace: boolean,
  role: ApiKeyRole,
): CampaignAction[] =>
  CAMPAIGN_ACTIONS.filter((a) => (role === 'admin' || SUPPORT_MAY.has(a)) && RULES[a](status, inGrace));
