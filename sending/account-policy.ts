import { type FindOperator, In, IsNull } from 'typeorm';
import type { Account } from '../entities/Account';
import type { Campaign } from '../entities/Campaign';
import type { SendWindow } from '../domain/send-window';
import type { SendLimit } from './limits';
import { type DeliverabilityGuards, guardsOr, percent } from '../domain/deliverability-guards';

/*
 * The account's sending policy (GET/PUT /v1/account/sending-policy) as each send reads it: its
 * limits, the window a campaign's email may go out in, and the recipients a window's hours
 * apply to. (Which status takes which command is another policy: workflows/campaign/policies.ts.)
 */

/** The window a campaign's email goes out in: its own, else its account's; null = any time. */
export function windowFor(
  account: Pick<Account, 'sendWindow'>,
  campaign: Pick<Campaign, 'sendWindow'> | null,
): SendWindow | null {
  return campaign?.sendWindow ?? account.sendWindow ?? null;
}

/** The account's limits (none: nothing to wait for, and grants are still recorded). */
export function limitsOf(account: Pick<Account, 'sendLimits'>): SendLimit[] {
  return account.sendLimits ?? [];
}

/** The account's complaint and bounce guards, defaults where it set none. */
export function guardsOf(account: Pick<Account, 'deliverabilityGuards'>): DeliverabilityGuards {
  return guardsOr(account.deliverabilityGuards);
}

/** The guards in a few words, for the audit log: `guards: complaints > 0.1% of ≥ 1000 delivered, …`. */
export function describeGuards(g: DeliverabilityGuards): string {
  return `guards: complaints > ${percent(g.complaintRate)} of ≥ ${g.complaintMinDelivered} delivered, hard bounces > ${percent(g.bounceRate)} of ≥ ${g.bounceMinSent} sent`;
}

/** A window in a few words, for the audit log: `Europe/Berlin mon,tue 09:00–17:30`. */
export function describeWindow(window: SendWindow | null, none: string): string {
  return window ? `${window.timeZone} ${window.days.join(',')} ${window.from}–${window.to}` : none;
}

/**
 * `where` for recipients of these zones only (null: no zone of their own, read in the
 * window's). Refuses an empty list: no conditions is what TypeORM reads as no WHERE at all.
 */
export function inZones<W extends object>(
  where: W,
  zones: readonly (string | null)[],
): (W & { timeZone: FindOperator<string> })[] {
  if (!zones.length) throw new RangeError('inZones: no zones (an empty list would select every row)');
  const named = zones.filter((z): z is string => z !== null);
  return [
    ...(named.length ? [{ ...where, timeZone: In(named) }] : []),
    ...(zones.includes(null) ? [{ ...where, timeZone: IsNull() }] : []),
  ];
}
