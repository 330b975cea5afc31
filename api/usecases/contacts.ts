import type { Readable } from 'node:stream';
import { In, LessThan } from 'typeorm';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { insertRows } from '../../db/insert-rows';
import { lockAccount } from '../../db/locks';
import { Contact } from '../../entities/Contact';
import {
  CsvFormatError,
  CsvHeaderError,
  CsvTooLargeError,
  CsvTooManyBytesError,
  readRecipientsCsv,
} from '../../recipients/csv';
import type { Caller } from '../auth';
import { ConflictError, PayloadTooLargeError, ValidationError } from '../errors';
import type { ImportReport } from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';

/**
 * One contacts file: an address book, not a campaign's list. Its good rows are held in memory
 * until the one insert (so a refused file adds nothing), which a bound this size keeps small.
 */
export const MAX_CONTACT_IMPORT_ROWS = 10_000;
export const MAX_CONTACT_IMPORT_BYTES = 2 * 2 ** 20;

export interface ContactView {
  id: string;
  email: string;
  name: string | null;
  createdAt: string;
}

const view = (c: Contact): ContactView => ({
  id: c.id,
  email: c.email,
  name: c.name,
  createdAt: c.createdAt.toISOString(),
});

/** Saved contacts: invite them to any campaign later. */
export class ContactService {
  constructor(private readonly db: Database) {}

  async create(caller: Caller, input: { email: string; name?: string }): Promise<ContactView> {
    const contact: Contact = {
      id: newId(),
      accountId: caller.accountId,
      email: input.email,
      name: input.name ?? null,
      createdAt: new Date(),
    };
    await this.db.transaction(async (em) => {
      if (await em.existsBy(Contact, { accountId: caller.accountId, email: input.email }))
        throw new ConflictError(`${input.email} is already a contact`);
      await em.insert(Contact, contact);
    });
    return view(contact);
  }

  /**
   * The invite import's reader (recipients/csv.ts: the one address check, the same header and
   * row numbers), so a file that imports as invites imports as contacts. An address already
   * saved is reported as a bad row, as a repeat in the file is; the rest go in together.
   */
  async importCsv(caller: Caller, body: Readable, declaredBytes?: number): Promise<ImportReport> {
    const tooManyBytes = () =>
      new PayloadTooLargeError(
        `the CSV is larger than ${MAX_CONTACT_IMPORT_BYTES} bytes (2 MiB); split the file`,
        MAX_CONTACT_IMPORT_BYTES,
      );
    if (declaredBytes !== undefined && declaredBytes > MAX_CONTACT_IMPORT_BYTES) throw tooManyBytes();
    const rejected: ImportReport['rejected'] = [];
    const good: { row: number; email: string; name: string | null }[] = [];
    try {
      for await (const chunk of readRecipientsCsv(body, {
        maxRows: MAX_CONTACT_IMPORT_ROWS,
        maxBytes: MAX_CONTACT_IMPORT_BYTES,
      })) {
        good.push(...chunk.recipients.map(({ row, email, name }) => ({ row, email, name })));
        rejected.push(...chunk.rejected);
      }
    } catch (err) {
      if (err instanceof CsvTooManyBytesError) throw tooManyBytes();
      if (err instanceof CsvTooLargeError)
        throw new PayloadTooLargeError(
          `${err.message}; split the file (at most ${MAX_CONTACT_IMPORT_ROWS} rows)`,
        );
      if (err instanceof CsvHeaderError || err instanceof CsvFormatError)
        throw new ValidationError([{ field: '(body)', message: err.message }]);
      throw err;
    }
    const now = new Date();
    let imported = 0;
    await this.db.transaction(async (em) => {
      // Two imports at once must not both find an address unsaved and both insert it.
      await lockAccount(em, caller.accountId);
      for (let i = 0; i < good.length; i += 500) {
        const part = good.slice(i, i + 500);
        const saved = new Set(
          (
            await em.find(Contact, {
              where: { accountId: caller.accountId, email: In(part.map((r) => r.email)) },
              select: { email: true },
            })
          ).map((c) => c.email),
        );
        const fresh = part.filter((r) => !saved.has(r.email));
        for (const r of part)
          if (saved.has(r.email)) rejected.push({ row: r.row, email: r.email, reason: 'already a contact' });
        if (fresh.length)
          await insertRows(
            em,
            Contact,
            fresh.map((r) => ({
              id: newId(),
              accountId: caller.accountId,
              email: r.email,
              name: r.name,
              createdAt: now,
            })),
          );
        imported += fresh.length;
      }
    });
    return { imported, rejected: rejected.sort((a, b) => a.row - b.row) };
  }

  async list(
    caller: Caller,
    limit: number,
    cursor?: string,
  ): Promise<{ data: ContactView[]; nextCursor: string | null }> {
    const rows = await this.db.manager.find(Contact, {
      where: { accountId: caller.accountId, ...(cursor ? { id: LessThan(decodeCursor(cursor)) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map(view),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }
}
