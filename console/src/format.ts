import type { Campaign, CampaignStatus } from './api/client';

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  launching: 'Launching',
  active: 'Active',
  paused: 'Paused',
  expired: 'Expired',
  cancelled: 'Cancelled',
};
export const STATUSES = Object.keys(STATUS_LABEL) as CampaignStatus[];

export const money = (cents: number) =>
  (cents < 0 ? '-$' : '$') + (Math.abs(cents) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const when = (iso: string | null | undefined, none = '—') =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : none;

/** A time of day (HH:MM, the browser's zone): a wait is minutes long, its date goes without saying. */
export const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** `<input type="datetime-local">` speaks local time without a zone; the API wants an instant. */
export const toLocalInput = (iso: string | null | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
export const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

/** Why a campaign is paused (its `pausedReason`), in words that say what to do: one for each. */
export const PAUSE_REASON: Record<NonNullable<Campaign['pausedReason']>, string> = {
  manual: 'Paused by a person',
  email_token_invalid: 'The email service refused the account’s token: renew it, then Resume',
  failure_rate: 'Too many invitations of a batch failed: check the addresses, then Resume',
  complaint_rate:
    'Too many recipients marked it as spam: send only to people who asked for it, then Resume (the limit is in the sending policy)',
  bounce_rate:
    'Too many addresses bounced (they do not exist): clean the list, then Resume (the limit is in the sending policy)',
};

/** Why sending holds back (the campaign's `waiting.reason`), in the page's words. */
export const WAIT_REASON: Record<string, string> = {
  sending_limit: 'sending limit',
  send_window: 'send window',
};

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Why the account no longer emails an address (a suppression's reason), in words. */
export const SUPPRESSION_REASON = {
  hard_bounce: 'Hard bounce',
  spam_complaint: 'Spam complaint',
  unsubscribed: 'Unsubscribed',
} as const satisfies Record<'hard_bounce' | 'spam_complaint' | 'unsubscribed', string>;
