import type { Config } from '../config/config';
import type { EmailCredentials } from '../email/port';
import type { Account } from '../entities/Account';
import type { Campaign } from '../entities/Campaign';
import type { SecretBox } from '../security/secrets';

/**
 * Who an account's email is from, and with whose token: the one rule every send uses (the
 * workflow's sends, a test send from the API) and the one launch checks first.
 */

/** The platform's own sender: owner alerts and summaries, and accounts without a token of their own. */
export interface PlatformSender {
  serverToken: string;
  from: string;
}

/** From the configuration (POSTMARK_SERVER_TOKEN, EMAIL_FROM); the outbox needs neither. */
export const platformSenderOf = (config: Config): PlatformSender => ({
  serverToken: config.email.postmarkServerToken ?? 'outbox',
  from: config.email.from ?? 'herald@localhost',
});

export interface Sender {
  credentials: EmailCredentials;
  /** `"Name" <address>`. */
  from: string;
  /** The address alone; empty when the account has a token but no from address (`senderProblem`). */
  address: string;
  /** The account's own token (true), or the platform's. */
  own: boolean;
}

/** The account's own token and from address, else the platform's. */
export function senderOf(
  secrets: SecretBox,
  platform: PlatformSender,
  account: Account,
  campaign: Pick<Campaign, 'emailFromName'> | null,
): Sender {
  const own = account.emailTokenSealed !== null;
  const serverToken = own ? secrets.open(account.emailTokenSealed!) : platform.serverToken;
  const address = account.fromEmail ?? (own ? '' : platform.from);
  // Nothing in a display name may pass for an address: it ends at the quote, `<` opens one.
  const name = (campaign?.emailFromName ?? account.name).replace(/["<>\\\r\n]/g, '');
  return { credentials: { serverToken }, from: `"${name}" <${address || platform.from}>`, address, own };
}

/**
 * What stops the account's sender before any provider is asked, in words that say what to
 * fix; null when nothing does. A token of its own sends from an address of its own: the
 * platform's address is not one the account's Postmark server may send from.
 */
export function senderProblem(account: Pick<Account, 'emailTokenSealed' | 'fromEmail'>): string | null {
  if (account.emailTokenSealed !== null && !account.fromEmail)
    return "The account's email provider has a server token but no from address: set fromEmail with PUT /v1/account/email-provider (console: Settings), then launch again";
  return null;
}
