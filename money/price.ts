/**
 * What a campaign's invites cost: its price per invite, fixed while it is a draft, times the
 * invites. The one price rule: a launch holds it for every invite, an added invite for itself,
 * a revival for those not sent yet, and the settlement charges it for those that went out.
 */
export const priceOf = (invites: number, campaign: { costPerInviteCents: number }): number =>
  invites * campaign.costPerInviteCents;
