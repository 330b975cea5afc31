/**
 * Where the console shows a thing: the owner's emails link there, so an alert leads to the
 * screen that acts on it (console/src/app.tsx routes these paths). The console signs in first
 * and then opens the same address, so a link works in a fresh browser too.
 */
export interface ConsoleLinks {
  campaign(campaignId: string): string;
  /** The campaign's participant list, filtered to invites whose email failed. */
  failedInvites(campaignId: string): string;
  /** Settings, at the email sender form where the Postmark token is renewed. */
  emailSender(): string;
  /** The account's sending limits, hours and deliverability guards. */
  sendingPolicy(): string;
  /** One webhook endpoint: its delivery log, where a retry enables it again. */
  webhookLog(endpointId: string): string;
}

export function consoleLinks(publicBaseUrl: string): ConsoleLinks {
  const base = `${publicBaseUrl.replace(/\/+$/, '')}/console`;
  const id = encodeURIComponent;
  return {
    campaign: (campaignId) => `${base}/campaigns/${id(campaignId)}`,
    failedInvites: (campaignId) => `${base}/campaigns/${id(campaignId)}?delivery=failed`,
    emailSender: () => `${base}/settings#email-sender`,
    sendingPolicy: () => `${base}/settings/sending`,
    webhookLog: (endpointId) => `${base}/settings/webhooks/${id(endpointId)}`,
  };
}
