import type { Database } from '../../db/database';
import { EmailTokenInvalidError, type EmailPort } from '../../email/port';
import { Account } from '../../entities/Account';
import { type PlatformSender, type Sender, senderOf, senderProblem } from '../../sending/sender';
import type { SecretBox } from '../../security/secrets';
import { SenderNotReadyError, ServiceUnavailableError } from '../errors';

export interface SenderCheckDeps {
  db: Database;
  email: EmailPort;
  secrets: SecretBox;
  platform: PlatformSender;
}

/**
 * Whether the account can send at all, asked before launch and before a test send: it has a
 * from address, and the provider accepts its token (a cheap read through the email port:
 * Postmark `GET /server`). Otherwise `409 sender_not_ready` says what to fix, before anything
 * changed. A provider that does not answer is a 503: nothing changed, retry.
 */
export class SenderCheck {
  constructor(private readonly deps: SenderCheckDeps) {}

  /** The sender the account's email goes out with (sending/sender.ts), without asking anyone. */
  senderOf(account: Account, campaign: Parameters<typeof senderOf>[3] = null): Sender {
    return senderOf(this.deps.secrets, this.deps.platform, account, campaign);
  }

  async ready(
    accountOrId: Account | string,
    campaign: Parameters<typeof senderOf>[3] = null,
  ): Promise<Sender> {
    const { db, email } = this.deps;
    const account =
      typeof accountOrId === 'string'
        ? await db.manager.findOneByOrFail(Account, { id: accountOrId })
        : accountOrId;
    const problem = senderProblem(account);
    if (problem) throw new SenderNotReadyError(problem);
    const sender = this.senderOf(account, campaign);
    try {
      await email.checkCredentials(sender.credentials);
    } catch (err) {
      if (err instanceof EmailTokenInvalidError)
        throw new SenderNotReadyError(
          sender.own
            ? "The email provider refused the account's server token: set a valid Postmark server token with PUT /v1/account/email-provider (console: Settings), then try again"
            : "The email provider refused the platform's server token (POSTMARK_SERVER_TOKEN): the operator must renew it, or set the account's own sender with PUT /v1/account/email-provider (console: Settings)",
        );
      throw new ServiceUnavailableError(
        `Could not check the sender with the email provider (${(err as Error).message}); nothing changed, retry`,
      );
    }
    return sender;
  }
}
