import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { newId } from '../db/ids';
import { insertRows } from '../db/insert-rows';
import { Invite } from '../entities/Invite';
import { WebhookEvent } from '../entities/WebhookEvent';
import { newInvite } from '../entities/new-invite';
import { newInviteToken } from '../security/tokens';

/** On the test database (DATABASE_URL, else the embedded SQLite), without servers. */
describe('Inserting many rows at once (insertRows), as the import and the sends do', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(loadConfig().database);
  });
  afterAll(() => db.close());

  const invitesOf = (campaignId: string, n: number, fields: Partial<Invite> = {}) => {
    const expiresAt = new Date('2027-03-01T09:30:00.125Z');
    return Array.from({ length: n }, (_, i) => ({
      ...newInvite(
        {
          accountId: 'acct-insert-rows',
          campaignId,
          email: i % 7 === 0 ? null : `guest${i}@example.com`,
          name: i % 3 === 0 ? null : `Guest ‘${i}’ O'Brien`,
          timeZone: i % 2 ? 'Europe/Paris' : null,
          expiresAt,
          reminderDaysBefore: 2,
          reminderAt: new Date(expiresAt.getTime() - 2 * 86_400_000),
        },
        new Date('2026-12-02T10:00:00.456Z'),
      ),
      ...fields,
    }));
  };

  const stored = (campaignId: string) =>
    db.manager.find(Invite, { where: { campaignId }, order: { id: 'ASC' } });

  it('when 1,201 invites go in (three statements), then each reads back exactly as em.insert stores the same row: dates to the millisecond, nulls, quotes and numbers', async () => {
    const [mine, theirs] = [newId(), newId()];
    const rows = invitesOf(mine, 1201, { reminderDaysBefore: 1.5, calendarSequence: 3 });
    await db.transaction((em) => insertRows(em, Invite, rows));
    const same = rows.map((r) => ({ ...r, id: newId(), token: newInviteToken(), campaignId: theirs }));
    await db.transaction(async (em) => {
      for (let i = 0; i < same.length; i += 100) await em.insert(Invite, same.slice(i, i + 100));
    });

    const [a, b] = [await stored(mine), await stored(theirs)];
    expect(a).toHaveLength(1201);
    const comparable = (i: Invite) => ({ ...i, id: undefined, token: undefined, campaignId: undefined });
    expect(a.map(comparable)).toEqual(b.map(comparable));
    expect(a.map((i) => i.token)).toEqual(rows.map((r) => r.token));
    expect(a[1]).toMatchObject({
      email: 'guest1@example.com',
      name: "Guest ‘1’ O'Brien",
      expiresAt: new Date('2027-03-01T09:30:00.125Z'),
      createdAt: new Date('2026-12-02T10:00:00.456Z'),
      sentAt: null,
    });
  });

  it('when a row leaves a column out, then nothing is written and the error names the column', async () => {
    const campaignId = newId();
    const rows = invitesOf(campaignId, 3);
    delete (rows[2] as Partial<Invite>).orderRef;
    await expect(db.transaction((em) => insertRows(em, Invite, rows))).rejects.toThrow(
      'insertRows(Invite): no value for orderRef; give null for none',
    );
    expect(await stored(campaignId)).toEqual([]);
  });

  it('when orIgnore and some rows are already stored (a retried outbox write), then those are skipped and the rest go in', async () => {
    const accountId = newId();
    const event = (key: string): WebhookEvent => ({
      id: newId(),
      accountId,
      campaignId: null,
      type: 'invite.sent',
      dedupeKey: `invite.sent:${key}`,
      payload: '{}',
      createdAt: new Date(),
    });
    const first = [event('a'), event('b')];
    await db.transaction((em) => insertRows(em, WebhookEvent, first, { orIgnore: true }));
    await db.transaction((em) => insertRows(em, WebhookEvent, [...first, event('c')], { orIgnore: true }));
    const stored = await db.manager.find(WebhookEvent, { where: { accountId }, order: { dedupeKey: 'ASC' } });
    expect(stored.map((e) => e.dedupeKey)).toEqual(['invite.sent:a', 'invite.sent:b', 'invite.sent:c']);
    expect(stored.map((e) => e.id).slice(0, 2)).toEqual(first.map((e) => e.id));
  });
});
