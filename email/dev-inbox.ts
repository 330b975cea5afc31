import type { Database } from '../db/database';
import { newId } from '../db/ids';
import { DevInboxEmail } from '../entities/DevInboxEmail';
import {
  EmailTokenInvalidError,
  type EmailCredentials,
  type EmailMessage,
  type EmailPort,
  type MessageOutcome,
  type SentRef,
} from './port';

export interface DevInboxOptions {
  db: Database;
  log?: (line: string) => void;
  /** Which account a message belongs to; defaults to `metadata.accountId`. */
  accountIdOf?: (m: EmailMessage) => string | null;
}

/** Lets a developer exercise the "token revoked" path without a Postmark account. */
const INVALID_TOKEN = 'invalid';
/** Not `\`: JSON-encoded strings contain backslashes, and this must work on SQLite and MySQL. */
const LIKE_ESCAPE = '!';

/** EMAIL_PROVIDER=outbox: nothing leaves the machine; messages land in `outbox_emails`. */
export class DevInboxPort implements EmailPort {
  readonly maxBatchSize = 500;
  private readonly db: Database;
  private readonly log: (line: string) => void;
  private readonly accountIdOf: (m: EmailMessage) => string | null;

  constructor(options: DevInboxOptions) {
    this.db = options.db;
    this.log = options.log ?? ((line) => console.log(line));
    this.accountIdOf = options.accountIdOf ?? ((m) => m.metadata.accountId ?? null);
  }

  async sendBatch(credentials: EmailCredentials, messages: EmailMessage[]): Promise<MessageOutcome[]> {
    if (credentials.serverToken === INVALID_TOKEN) {
      throw new EmailTokenInvalidError('outbox: the server token "invalid" is rejected by design');
    }
    if (messages.length === 0) return [];
    if (messages.length > this.maxBatchSize) {
      throw new Error(`outbox: batch of ${messages.length} exceeds ${this.maxBatchSize} messages`);
    }
    const createdAt = new Date();
    const rows = messages.map((m) => this.toRow(m, createdAt));
    await this.db.transaction((em) => em.insert(DevInboxEmail, rows));
    messages.forEach((m) => this.log(describe(m)));
    return rows.map((row) => ({ ok: true, messageId: row.id }));
  }

  async findSent(
    credentials: EmailCredentials,
    metadataKey: string,
    metadataValue: string,
  ): Promise<string | null> {
    return (await this.findAllSent(credentials, metadataKey, metadataValue))[0]?.messageId ?? null;
  }

  async findAllSent(
    _credentials: EmailCredentials,
    metadataKey: string,
    metadataValue: string,
  ): Promise<SentRef[]> {
    // `"key":"value"` exactly as JSON.stringify wrote it; the LIKE narrows, the parse decides
    // (MySQL's LIKE is case-insensitive, and the pair could sit inside another value).
    const needle = `${JSON.stringify(metadataKey)}:${JSON.stringify(metadataValue)}`;
    const candidates = await this.db.manager
      .createQueryBuilder(DevInboxEmail, 'o')
      .select(['o.id', 'o.metadata'])
      .where(`o.metadata LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, { pattern: `%${escapeLike(needle)}%` })
      .orderBy('o.id', 'ASC')
      .getMany();
    return candidates.flatMap((row) => {
      const metadata = parseMetadata(row.metadata);
      return metadata[metadataKey] === metadataValue
        ? [{ messageId: row.id, metadata: metadata as Record<string, string> }]
        : [];
    });
  }

  /** As `sendBatch` judges them: only the token "invalid" is refused (by design). */
  async checkCredentials(credentials: EmailCredentials): Promise<void> {
    if (credentials.serverToken === INVALID_TOKEN)
      throw new EmailTokenInvalidError('outbox: the server token "invalid" is rejected by design');
  }

  /** The development inbox refuses no message, so no code of its own means a bad address. */
  isBadAddress(): boolean {
    return false;
  }

  private toRow(m: EmailMessage, createdAt: Date): DevInboxEmail {
    const row = new DevInboxEmail();
    row.id = newId();
    row.accountId = this.accountIdOf(m);
    row.fromAddress = m.from;
    row.toAddress = m.to;
    row.subject = m.subject;
    row.html = m.html;
    row.textBody = m.text;
    row.metadata = JSON.stringify(m.metadata);
    row.attachments = m.attachments?.length ? JSON.stringify(m.attachments) : null;
    row.messageStream = m.messageStream;
    row.createdAt = createdAt;
    return row;
  }
}

/** `outbox: to alice@example.com "You're invited" (invitation, invite <id>)` */
function describe(m: EmailMessage): string {
  const tags = [m.metadata.kind, m.metadata.inviteId && `invite ${m.metadata.inviteId}`].filter(Boolean);
  return `outbox: to ${m.to} ${JSON.stringify(m.subject)}${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

function escapeLike(s: string): string {
  return s.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
}

function parseMetadata(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
