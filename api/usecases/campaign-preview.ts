import { appendAudit, oneOffAuditKey } from '../../audit/log';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { invitationMessages, type MessageLinks } from '../../activities/invitation-message';
import {
  EmailRateLimitedError,
  EmailTemporarilyUnavailableError,
  EmailTokenInvalidError,
  type EmailMessage,
  type EmailPort,
  type MessageOutcome,
} from '../../email/port';
import { emailAhead } from '../../domain/campaign-actions';
import { wasErased } from '../../domain/link';
import { PastExpiryError } from '../../email/templates';
import { Account } from '../../entities/Account';
import type { Campaign } from '../../entities/Campaign';
import { newInvite } from '../../entities/new-invite';
import { suppressionsAmong, whySuppressed } from '../../recipients/suppressions';
import { limitsOf } from '../../sending/account-policy';
import { acquireSlots, completeSlots } from '../../sending/limits';
import type { SecretBox } from '../../security/secrets';
import type { Caller } from '../auth';
import {
  CampaignEndedError,
  InvalidStateError,
  InviteErasedError,
  InviteExpiredError,
  InviteResetError,
  NotFoundError,
  RateLimitedError,
  SenderNotReadyError,
  ServiceUnavailableError,
} from '../errors';
import type { EmailPreview, TestSendResult } from '../schemas';
import { ownedCampaign } from './owned';
import { Invite } from '../../entities/Invite';
import type { SenderCheck } from './sender-check';

export interface PreviewDeps {
  db: Database;
  email: EmailPort;
  secrets: SecretBox;
  publicBaseUrl: string;
  sender: SenderCheck;
}

/** Who a preview is addressed to when no invite is named. */
export const SAMPLE_RECIPIENT = { name: 'Sample Recipient', email: 'recipient@example.com' } as const;

/** The subject of a test email: the real one after this. */
export const TEST_SUBJECT_PREFIX = '[Test] ';

/** A preview's or a test email's links: harmless pages (api/routes/sample-pages.ts), no invite's. */
export const sampleLinks = (publicBaseUrl: string, kind: 'preview' | 'test'): MessageLinks => ({
  url: `${publicBaseUrl}/p/${kind}`,
  unsubscribeUrl: `${publicBaseUrl}/p/${kind}/unsubscribe`,
});

/**
 * "See it before they do": the invitation rendered by the send pipeline's own renderer
 * (activities/invitation-message.ts), for a sample recipient or a named invite, and the same
 * email sent as a test to a few addresses. Neither uses an invite's link, counter or money.
 */
export class CampaignPreviewService {
  private readonly render: ReturnType<typeof invitationMessages>;

  constructor(private readonly deps: PreviewDeps) {
    this.render = invitationMessages(deps.publicBaseUrl, deps.secrets);
  }

  /** Reads only. */
  async preview(caller: Caller, campaignId: string, inviteId?: string): Promise<EmailPreview> {
    const { db } = this.deps;
    const campaign = await ownedCampaign(db, caller, campaignId);
    refuseUnlessEmailAhead(campaign, 'preview its email');
    const account = await db.manager.findOneByOrFail(Account, { id: caller.accountId });
    const { from } = this.deps.sender.senderOf(account, campaign);
    let invite: Invite;
    let links: MessageLinks | undefined;
    if (inviteId) {
      const found = await db.manager.findOneBy(Invite, {
        id: inviteId,
        campaignId,
        accountId: caller.accountId,
      });
      if (!found) throw new NotFoundError(`Invite ${inviteId}`);
      // Its link is dead: what it would be sent is nothing (erased), or its replacement's.
      if (wasErased(found)) throw new InviteErasedError(found.id);
      if (found.voidedAt) throw new InviteResetError(found.id, found.replacedById, null);
      invite = found;
    } else {
      invite = sampleInvite(campaign, SAMPLE_RECIPIENT.email, SAMPLE_RECIPIENT.name);
      links = sampleLinks(this.deps.publicBaseUrl, 'preview');
    }
    const message = this.rendered(campaign, account, invite, from, 'preview', links);
    return {
      inviteId: inviteId ?? null,
      from: message.from,
      to: invite.email,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageStream: message.messageStream,
      headers: message.headers ?? {},
      attachments: (message.attachments ?? []).map((a) => ({ name: a.name, contentType: a.contentType })),
    };
  }

  /**
   * The real email, subject after `[Test] `, to each address, through the account's sender:
   * no invite, no notification row, no counter, no money. Each counts against the account's
   * sending limits like any email (all or none: over the limit is a `429`); an address the
   * account may not email (suppressed) is skipped and says why. Audited, without the addresses.
   */
  async testSend(caller: Caller, campaignId: string, to: string[]): Promise<TestSendResult> {
    const { db, email, secrets } = this.deps;
    const campaign = await ownedCampaign(db, caller, campaignId);
    refuseUnlessEmailAhead(campaign, 'send a test of its email');
    const account = await db.manager.findOneByOrFail(Account, { id: caller.accountId });
    const sender = await this.deps.sender.ready(account, campaign);
    const addresses = [...new Set(to)];
    const suppressed = await suppressionsAmong(db.manager, secrets, account.id, addresses);
    const batch = newId();
    const links = sampleLinks(this.deps.publicBaseUrl, 'test');
    // Rendered before a slot is taken: a campaign whose link has expired sends nothing.
    const rendered: EmailMessage[] = addresses.map((address, k) => {
      const m = this.rendered(
        campaign,
        account,
        sampleInvite(campaign, address, null),
        sender.from,
        'test',
        links,
      );
      return {
        ...m,
        subject: TEST_SUBJECT_PREFIX + m.subject,
        metadata: {
          idempotencyKey: `test-send:${batch}:${k}`,
          campaignId: campaign.id,
          accountId: account.id,
          kind: 'test',
        },
      };
    });
    const targets = addresses.filter((a) => !suppressed.has(a));
    const messages = rendered.filter((m) => !suppressed.has(m.to));

    let outcomes: MessageOutcome[] = [];
    if (messages.length) {
      const grantId = await this.slotsFor(account, messages.length);
      let used = messages.length;
      try {
        outcomes = await email.sendBatch(sender.credentials, messages);
        used = outcomes.filter((o) => o.ok).length;
      } catch (err) {
        // A refused token, a rate limit or a 5xx: nothing was accepted, so the slots go back.
        const nothingWent =
          err instanceof EmailTokenInvalidError ||
          (err instanceof EmailTemporarilyUnavailableError && err.status !== undefined);
        await db.transaction((em) => completeSlots(em, grantId, nothingWent ? 0 : used, new Date()));
        if (err instanceof EmailTokenInvalidError)
          throw new SenderNotReadyError(
            'The email provider refused the server token: set a valid one with PUT /v1/account/email-provider (console: Settings), then try again',
          );
        if (err instanceof EmailRateLimitedError)
          throw new RateLimitedError(
            Math.ceil(err.retryAfterMs / 1000),
            `The email provider is rate-limiting this sender: nothing was sent, retry after ${Math.ceil(err.retryAfterMs / 1000)} seconds`,
          );
        if (err instanceof EmailTemporarilyUnavailableError)
          throw new ServiceUnavailableError(
            `The email provider did not take the test email (${err.message}); retry`,
          );
        throw err;
      }
      await db.transaction(async (em) => {
        await completeSlots(em, grantId, used, new Date());
        await appendAudit(em, oneOffAuditKey('test-send', batch), {
          accountId: account.id,
          campaignId: campaign.id,
          actor: caller.keyId,
          action: 'test_sent',
          reason: `test email to ${addresses.length} address${addresses.length === 1 ? '' : 'es'}`,
          details: { sent: used, notSent: addresses.length - used },
        });
      });
    }
    const byAddress = new Map(targets.map((a, k) => [a, outcomes[k]]));
    return {
      subject: rendered[0].subject,
      results: addresses.map((address) => {
        const reason = suppressed.get(address);
        if (reason) return { email: address, sent: false, error: whySuppressed(reason) };
        const outcome = byAddress.get(address)!;
        return { email: address, sent: outcome.ok, error: outcome.ok ? null : outcome.message };
      }),
    };
  }

  /**
   * `n` slots of the account's sending limits (sending/limits.ts), as a deliberate send by a
   * person (served before the campaigns' batches, like a resend): all, or a `429` and none
   * (the refused ask is rolled back with its transaction, so it leaves no demand behind).
   */
  private async slotsFor(account: Account, n: number): Promise<string> {
    return this.deps.db.transaction(async (em) => {
      const now = new Date();
      const slots = await acquireSlots(em, {
        accountId: account.id,
        campaignId: null,
        priority: 'resend',
        want: n,
        limits: limitsOf(account),
        now,
      });
      if (slots.granted < n) {
        const seconds = Math.max(
          1,
          Math.ceil(((slots.retryAt?.getTime() ?? now.getTime()) - now.getTime()) / 1000),
        );
        throw new RateLimitedError(
          seconds,
          `The account's sending limit is reached: a test email counts like any other, and ${n} would not fit before ${new Date(now.getTime() + seconds * 1000).toISOString()}; nothing was sent, retry after ${seconds} seconds`,
        );
      }
      return slots.grantId!;
    });
  }

  private rendered(
    campaign: Campaign,
    account: Account,
    invite: Invite,
    from: string,
    key: string,
    links?: MessageLinks,
  ): EmailMessage {
    try {
      return this.render(campaign, account, invite, from, key, 'invitation', new Date(), links);
    } catch (err) {
      if (!(err instanceof PastExpiryError)) throw err;
      if (links)
        throw new InvalidStateError(
          'preview',
          campaign.status,
          `Campaign ${campaign.id} has expired: its invitation would carry a dead link; extend its expiry first`,
        );
      throw new InviteExpiredError(invite.id, invite.expiresAt ?? campaign.expiresAt!);
    }
  }
}

/** The view's `preview` / `test_send` actions, by the same rule (domain/campaign-actions.ts). */
function refuseUnlessEmailAhead(campaign: Campaign, action: string): void {
  if (!emailAhead(campaign.status)) throw new CampaignEndedError(action, campaign.id, campaign.status);
}

/** An invite that is nobody's: never stored, its token never issued (the links replace it). */
function sampleInvite(campaign: Campaign, email: string, name: string | null): Invite {
  return newInvite({
    accountId: campaign.accountId,
    campaignId: campaign.id,
    email,
    name,
    expiresAt: null,
    reminderDaysBefore: null,
    reminderAt: null,
  });
}
