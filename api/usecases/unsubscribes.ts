import type { Database } from '../../db/database';
import type { SuppressionSource } from '../../entities/Suppression';
import { Account } from '../../entities/Account';
import { Invite } from '../../entities/Invite';
import { normaliseEmail } from '../../recipients/email-address';
import { inviteOfUnsubscribeToken, recordUnsubscribe } from '../../recipients/unsubscribe';
import type { SecretBox } from '../../security/secrets';

/** What the unsubscribe page names: the sender, never the address (a forwarded mail shows it to others). */
export interface UnsubscribeTarget {
  senderName: string;
}

/**
 * `/u/<token>`: a token is its invite's (recipients/unsubscribe.ts); its address is
 * suppressed for the invite's account. The invite itself is not touched: its link still works.
 */
export class UnsubscribeService {
  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
  ) {}

  private async inviteOf(token: string): Promise<Invite | null> {
    const inviteId = inviteOfUnsubscribeToken(this.secrets, token);
    return inviteId ? this.db.manager.findOneBy(Invite, { id: inviteId }) : null;
  }

  /** For the page: null for a token Herald did not make. Reads only. */
  async target(token: string): Promise<UnsubscribeTarget | null> {
    const invite = await this.inviteOf(token);
    if (!invite) return null;
    const account = await this.db.manager.findOneByOrFail(Account, { id: invite.accountId });
    return { senderName: account.name };
  }

  /**
   * Unsubscribes at once. An invite whose recipient was erased has no address left: nothing
   * is sent to it again anyway, and the answer is the same.
   */
  async unsubscribe(token: string, source: SuppressionSource): Promise<UnsubscribeTarget | null> {
    const invite = await this.inviteOf(token);
    if (!invite) return null;
    const email = invite.email;
    if (email)
      await this.db.transaction((em) =>
        recordUnsubscribe(em, {
          accountId: invite.accountId,
          campaignId: invite.campaignId,
          inviteId: invite.id,
          email: normaliseEmail(email),
          source,
        }),
      );
    return this.target(token);
  }
}
