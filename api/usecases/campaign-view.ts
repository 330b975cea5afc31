import { graceLasts, type Progress, revivable, waitsIn } from '../../domain/campaign';
import { campaignActions } from '../../domain/campaign-actions';
import type { ApiKeyRole } from '../../entities/ApiKey';
import type { Campaign } from '../../entities/Campaign';
import type { CampaignView } from '../schemas';

/** The campaign as its caller sees it: `actions` are what this caller may ask of it now. */
export function campaignView(c: Campaign, progress: Progress, role: ApiKeyRole): CampaignView {
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
    tracking: { opens: c.trackOpens, links: c.trackLinks },
    inviteDefaults: { expiresIn: c.inviteExpiresIn, reminderDaysBefore: c.inviteReminderDaysBefore },
    reservedCents: c.reservedCents,
    progress,
    actions: campaignActions(c.status, inGrace, role),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
