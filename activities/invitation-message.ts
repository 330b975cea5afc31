import type { Account } from '../entities/Account';
import type { Campaign } from '../entities/Campaign';
import type { Invite } from '../entities/Invite';
import { calendarAttachment, type CalendarEvent, renderCalendarInvite } from '../email/ical';
import type { EmailMessage } from '../email/port';
import { renderCalendarCancellation, renderInvitation } from '../email/templates';
import { broadcastStreamOf, unsubscribeToken, unsubscribeUrl } from '../recipients/unsubscribe';
import type { SecretBox } from '../security/secrets';

/** The version of the campaign's event its emails attach now, or null when it has none. */
export const eventVersion = (campaign: Campaign): number | null =>
  campaign.event ? campaign.eventSequence : null;

/** The UID of the event an invite's emails carry: the campaign's, or its own after a reset. */
export const calendarUidOf = (campaign: Campaign, invite: Invite): string =>
  invite.calendarUid ?? `${campaign.id}@herald`;

/**
 * The sender's address in `"Name" <address>` (notifications.ts `senderFor`): the last angle-addr,
 * which the display name cannot hold. The ORGANIZER is this address, never anything in a name.
 */
export const senderAddressOf = (from: string): string => /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;

/**
 * The two links an email carries, when they are not the invite's own: a preview's or a test
 * send's (api/usecases/campaign-preview.ts) point at harmless pages instead, so the message is
 * the real one in every other byte.
 */
export interface MessageLinks {
  /** Where the invitation's button goes (the invite's `/i/<token>` otherwise). */
  url: string;
  /** `List-Unsubscribe` and the visible link (the invite's `/u/<token>` otherwise). */
  unsubscribeUrl: string;
}

/** What makes a campaign email bulk mail done right: its stream, its list and its unsubscribe. */
interface Listing {
  messageStream: string;
  unsubscribeUrl: string;
  headers: Record<string, string>;
}

/**
 * RFC 2919's `List-Id`: the campaign's name as its phrase (printable ASCII, no quote or
 * backslash, so it needs no encoding) and `<campaign-id>.<Herald's host>`: one per campaign,
 * stable across every email of it, under a host Herald answers for.
 */
export function listIdOf(campaign: Pick<Campaign, 'id' | 'name'>, publicBaseUrl: string): string {
  const host = new URL(publicBaseUrl).hostname;
  const phrase = campaign.name
    .replace(/[^\x20-\x7e]|["\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .trim();
  const id = `<${campaign.id}.${host}>`;
  return phrase ? `"${phrase}" ${id}` : id;
}

function listingOf(
  publicBaseUrl: string,
  secrets: SecretBox,
  campaign: Campaign,
  account: Account,
  invite: Invite,
  links?: MessageLinks,
): Listing {
  const url = links?.unsubscribeUrl ?? unsubscribeUrl(publicBaseUrl, unsubscribeToken(secrets, invite.id));
  return {
    messageStream: broadcastStreamOf(account),
    unsubscribeUrl: url,
    headers: {
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': listIdOf(campaign, publicBaseUrl),
    },
  };
}

/**
 * An email to the invite's recipient, with the metadata the exactly-once path and webhooks
 * match on, on the account's broadcast stream, with the list headers (RFC 2369, 2919, 8058).
 */
function toInvitee(
  campaign: Campaign,
  invite: Invite,
  from: string,
  key: string,
  kind: 'invitation' | 'resend' | 'reminder' | 'calendar_update' | 'calendar_cancel',
  rendered: { subject: string; html: string; text: string },
  attachments: EmailMessage['attachments'],
  listing: Listing,
): EmailMessage {
  return {
    from,
    to: invite.email!,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    messageStream: listing.messageStream,
    metadata: {
      idempotencyKey: key,
      inviteId: invite.id,
      campaignId: campaign.id,
      accountId: campaign.accountId,
      kind,
    },
    attachments,
    headers: listing.headers,
    // The campaign's own choice (off unless asked): seed 002, no behavioural profiling by default.
    ...(campaign.trackOpens || campaign.trackLinks
      ? { track: { opens: campaign.trackOpens, links: campaign.trackLinks } }
      : {}),
  };
}

/** The email an invite gets (invitation, resend, reminder or calendar update), with its iCalendar part. */
export function invitationMessages(publicBaseUrl: string, secrets: SecretBox) {
  return function invitationMessage(
    campaign: Campaign,
    account: Account,
    invite: Invite,
    from: string,
    key: string,
    kind: 'invitation' | 'resend' | 'reminder' | 'calendar_update',
    /** The instant the caller judged the link live at (the template refuses a past expiry). */
    now: Date = new Date(),
    /** A preview's or a test send's links instead of the invite's. */
    links?: MessageLinks,
  ): EmailMessage {
    const event = campaign.event ? (JSON.parse(campaign.event) as CalendarEvent) : null;
    const listing = listingOf(publicBaseUrl, secrets, campaign, account, invite, links);
    const url = links?.url ?? `${publicBaseUrl}/i/${invite.token}`;
    const expiries = [invite.expiresAt, campaign.expiresAt].filter((d): d is Date => d !== null);
    const expiresAt = expiries.length ? new Date(Math.min(...expiries.map((d) => d.getTime()))) : null;
    const rendered = renderInvitation({
      campaignName: campaign.name,
      description: campaign.description,
      recipientName: invite.name,
      url,
      subject: campaign.emailSubject,
      fromName: campaign.emailFromName,
      // A calendar update is about the event, and goes to everyone who got it: one whose link
      // has expired is not told a date gone by.
      expiresAt: kind === 'calendar_update' && expiresAt && expiresAt <= now ? null : expiresAt,
      now,
      kind,
      event,
      unsubscribeUrl: listing.unsubscribeUrl,
    });
    const attachments = event
      ? [
          calendarAttachment(
            renderCalendarInvite({
              uid: calendarUidOf(campaign, invite),
              sequence: campaign.eventSequence,
              event,
              organizerEmail: senderAddressOf(from),
              organizerName: campaign.emailFromName,
              attendeeEmail: invite.email!,
              attendeeName: invite.name,
              description: campaign.description,
              url,
              dtstamp: new Date(),
            }),
          ),
        ]
      : undefined;
    return toInvitee(campaign, invite, from, key, kind, rendered, attachments, listing);
  };
}

/**
 * The METHOD:CANCEL that takes an invite's event out of its recipient's calendar: same UID, a
 * SEQUENCE above every version sent (the campaign's current one), STATUS:CANCELLED.
 */
export const cancellationMessages = (publicBaseUrl: string, secrets: SecretBox) =>
  function cancellationMessage(
    campaign: Campaign,
    account: Account,
    invite: Invite,
    from: string,
    key: string,
    reason: 'cancelled' | 'expired' | 'replaced',
  ): EmailMessage {
    const event = JSON.parse(campaign.event!) as CalendarEvent;
    const listing = listingOf(publicBaseUrl, secrets, campaign, account, invite);
    const rendered = renderCalendarCancellation({
      campaignName: campaign.name,
      recipientName: invite.name,
      event,
      reason,
      fromName: campaign.emailFromName,
      unsubscribeUrl: listing.unsubscribeUrl,
    });
    const ics = renderCalendarInvite({
      method: 'CANCEL',
      uid: calendarUidOf(campaign, invite),
      sequence: campaign.eventSequence + 1,
      event,
      organizerEmail: senderAddressOf(from),
      organizerName: campaign.emailFromName,
      attendeeEmail: invite.email!,
      attendeeName: invite.name,
      dtstamp: new Date(),
    });
    return toInvitee(
      campaign,
      invite,
      from,
      key,
      'calendar_cancel',
      rendered,
      [calendarAttachment(ics)],
      listing,
    );
  };
