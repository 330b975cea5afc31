import type { Campaign } from '../entities/Campaign';
import type { Invite } from '../entities/Invite';
import { calendarAttachment, type CalendarEvent, renderCalendarInvite } from '../email/ical';
import type { EmailMessage } from '../email/port';
import { renderInvitation } from '../email/templates';

/** The version of the campaign's event its emails attach now, or null when it has none. */
export const eventVersion = (campaign: Campaign): number | null =>
  campaign.event ? campaign.eventSequence : null;

/** The email an invite gets (invitation, resend, reminder or calendar update), with its iCalendar part. */
export function invitationMessages(publicBaseUrl: string) {
  return function invitationMessage(
    campaign: Campaign,
    invite: Invite,
    from: string,
    key: string,
    kind: 'invitation' | 'resend' | 'reminder' | 'calendar_update',
  ): EmailMessage {
    const event = campaign.event ? (JSON.parse(campaign.event) as CalendarEvent) : null;
    const expiries = [invite.expiresAt, campaign.expiresAt].filter((d): d is Date => d !== null);
    const rendered = renderInvitation({
      campaignName: campaign.name,
      description: campaign.description,
      recipientName: invite.name,
      url: `${publicBaseUrl}/i/${invite.token}`,
      subject: campaign.emailSubject,
      fromName: campaign.emailFromName,
      expiresAt: expiries.length ? new Date(Math.min(...expiries.map((d) => d.getTime()))) : null,
      kind,
      event,
    });
    const attachments = event
      ? [
          calendarAttachment(
            renderCalendarInvite({
              uid: `${campaign.id}@herald`,
              sequence: campaign.eventSequence,
              event,
              organizerEmail: /<([^>]+)>/.exec(from)?.[1] ?? from,
              organizerName: campaign.emailFromName,
              attendeeEmail: invite.email!,
              attendeeName: invite.name,
              description: campaign.description,
              url: `${publicBaseUrl}/i/${invite.token}`,
              dtstamp: new Date(),
            }),
          ),
        ]
      : undefined;
    return {
      from,
      to: invite.email!,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageStream: 'outbound',
      metadata: {
        idempotencyKey: key,
        inviteId: invite.id,
        campaignId: campaign.id,
        accountId: campaign.accountId,
        kind,
      },
      attachments,
    };
  };
}
