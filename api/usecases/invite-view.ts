import type { EntityManager } from 'typeorm';
import { linkState } from '../../domain/link';
import type { Campaign } from '../../entities/Campaign';
import type { Invite } from '../../entities/Invite';
import type { SuppressionReason } from '../../entities/Suppression';
import { suppressionsAmong } from '../../recipients/suppressions';
import type { SecretBox } from '../../security/secrets';
import type { InviteView } from '../schemas';

/**
 * Whether the account may still email each invite's address now, by the one rule
 * (recipients/suppressions.ts): an unsubscribe, a hard bounce or a complaint after the invite
 * was sent shows on its row too, not only on the next send. One query for a page.
 */
export async function suppressionsOf(
  em: EntityManager,
  secrets: SecretBox,
  accountId: string,
  invites: Invite[],
): Promise<(invite: Invite) => SuppressionReason | null> {
  const emails = [...new Set(invites.flatMap((i) => (i.email ? [i.email] : [])))];
  const found = await suppressionsAmong(em, secrets, accountId, emails);
  return (invite) => (invite.email ? (found.get(invite.email) ?? null) : null);
}

/** The recipient's private link. */
export const inviteUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/i/${token}`;

/** The invite as the API shows it, with its link's state in its campaign now. */
export function inviteView(
  publicBaseUrl: string,
  i: Invite,
  campaign: Campaign,
  /** Why the account may not email its address now (`suppressionsOf`); null: it may. */
  suppressed: SuppressionReason | null,
): InviteView {
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
    suppressed,
    createdAt: i.createdAt.toISOString(),
  };
}
