import { LessThan } from 'typeorm';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { Contact } from '../../entities/Contact';
import type { Caller } from '../auth';
import { ConflictError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';

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
