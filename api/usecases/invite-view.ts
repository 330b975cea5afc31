import { linkState } from '../../domain/link';
import type { Campaign } from '../../entities/Campaign';
import type { Invite } from '../../entities/Invite';
import type { InviteView } from '../schemas';

/** The recipient's private link. */
export const inviteUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/i/${token}`;

/** The invite as the API shows it, with its link's state in its campaign now. */
export function inviteView(publicBaseUrl: string, i: Invite, campaign: Campaign): InviteView {
  return {
    id: i.id,
    name: i.name,
    email: i.email,
    timeZone: i.timeZone,
    phone: i.phone ?? null,
    url: inviteUrl(publicBaseUrl, i.token),
    status: i.status,
    linkState: linkState({ campaign, invite: i, now: Date.now() }).state,
    journey: i.journey,
    sentAt: i.sentAt?.toISOString() ?? null,
    expiresAt: i.expiresAt?.toISOString() ?? null,
    reminderAt: i.reminderAt?.toISOString() ?? null,
    order: i.orderRef,
    delivery: { status: i.deliveryStatus, error: i.deliveryError },
    createdAt: i.createdAt.toISOString(),
  };
}
