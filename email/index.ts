import type { Config } from '../config/config';
import type { Database } from '../db/database';
import { DevInboxPort } from './dev-inbox';
import type { EmailPort } from './port';
import { PostmarkEmail } from './postmark';

/** EMAIL_PROVIDER picks the adapter: Postmark for real mail, the outbox for development. */
export function createEmailPort(
  config: Config,
  db: Database,
  log: (line: string) => void = (l) => console.log(l),
): EmailPort {
  return config.email.provider === 'postmark'
    ? new PostmarkEmail({ apiUrl: config.email.postmarkApiUrl })
    : new DevInboxPort({ db, log });
}
