import { randomUUID } from 'node:crypto';
import { entities } from '../entities';
import { Suppression } from '../entities/Suppression';
import { draft, untilStatus } from './support/campaigns';
import { type ApiClient, eventually, useAccount, useStack } from './support/stack';

describe('Erasure of a person', () => {
  const stack = useStack();
  const account = useAccount(stack);
  const admin = account.api;
  const otherAdmin = useAccount(stack).api;
  const run = randomUUID().slice(0, 8);
  const ada = { email: `ada-${run}@example.com`, name: `Ada Lovelace ${run}` };
  const bob = { email: `bob-${run}@example.com`, name: `Bob Babbage ${run}` };
  const carol = { email: `carol-${run}@example.com`, name: `Carol Hopper ${run}` };

  const invitesOf = async (api: ApiClient, campaignId: string) =>
    (await api.get(`/v1/campaigns/${campaignId}/invites?limit=500`)).body.data;
  const local = (url: string) => `${stack.baseUrl}${new URL(url).pathname}`;
  const outbox = async (api: ApiClient) =>
    (await api.get('/v1/outbox?limit=500')).body.data as { to: string }[];

  /** Everything stored for the account, every table: the person must be in none of it. */
  async function everythingStoredFor(id: string): Promise<string> {
    const dump: unknown[] = [];
    for (const entity of entities) {
      const columns = stack.db.dataSource.getMetadata(entity).columns.map((c) => c.propertyName);
      if (!columns.includes('accountId')) continue;
      dump.push(await stack.db.manager.find(entity, { where: { accountId: id } as never }));
    }
    return JSON.stringify(dump).toLowerCase();
  }

  it('when a person is erased, then their name and address are gone from every table, list, export and the outbox, their links answer 410, the audit keeps only a reference, and another account keeps its own copy', async () => {
    // Ada and Carol are saved contacts, invited (and emailed) in a launched campaign with Bob.
    const adaContact = await admin.post('/v1/contacts', ada);
    const carolContact = await admin.post('/v1/contacts', carol);
    const sent = await draft(admin, { name: 'Sent' });
    await admin.post(`/v1/campaigns/${sent}/invites/from-contacts`, {
      contactIds: [adaContact.body.id, carolContact.body.id],
    });
    await admin.post(`/v1/campaigns/${sent}/invites/bulk`, { recipients: [bob] });
    await admin.post(`/v1/campaigns/${sent}/launch`);
    await eventually(async () => ((await outbox(admin)).length >= 3 ? true : undefined));
    // Her link was reset once (the audit entry of a reset names the address).
    const first = (await invitesOf(admin, sent)).find((i) => i.email === ada.email)!;
    expect((await admin.post(`/v1/invites/${first.id}/reset`)).status).toBeLessThan(300);
    await eventually(async () => ((await outbox(admin)).length >= 4 ? true : undefined));
    const links = Object.fromEntries(
      (await invitesOf(admin, sent)).filter((i) => i.linkState === 'ready').map((i) => [i.email, i.url]),
    );
    // A draft where Ada was added with an Idempotency-Key (the stored answer holds her address).
    const pending = await draft(admin, { name: 'Draft' });
    const keyed = await admin.post(`/v1/campaigns/${pending}/invites`, ada, {
      'idempotency-key': `ada-${run}`,
    });
    expect(keyed.status).toBe(201);
    // She hard-bounced once: the account must never email her again, erased or not.
    await stack.db.transaction((em) =>
      em.insert(Suppression, {
        id: randomUUID(),
        accountId: account.accountId,
        email: ada.email,
        reason: 'hard_bounce',
        createdAt: new Date(),
      }),
    );
    // Another account knows Ada too.
    await otherAdmin.post('/v1/contacts', ada);
    const theirs = await draft(otherAdmin, { name: 'Theirs' });
    await otherAdmin.post(`/v1/campaigns/${theirs}/invites`, ada);

    const byAddress = await admin.post('/v1/recipients/erase', { email: ` ${ada.email.toUpperCase()} ` });
    expect(byAddress.status).toBe(200);
    expect(byAddress.body.erased).toMatchObject({ contacts: 1, invites: 3, suppressions: 1 });
    expect(byAddress.body.reference).toMatch(/^erased:[0-9a-f]{64}$/);
    const byContact = await admin.delete(`/v1/contacts/${carolContact.body.id}`);
    expect(byContact.status).toBe(200);
    expect(byContact.body.erased).toMatchObject({ contacts: 1, invites: 1 });

    const gone = [ada.email, ada.name, carol.email, carol.name].map((s) => s.toLowerCase());
    const seen = [
      JSON.stringify((await admin.get('/v1/contacts?limit=500')).body),
      JSON.stringify(await invitesOf(admin, sent)),
      JSON.stringify(await invitesOf(admin, pending)),
      (await admin.get(`/v1/campaigns/${sent}/invites/export`)).body as string,
      JSON.stringify(await outbox(admin)),
      JSON.stringify((await admin.get(`/v1/campaigns/${sent}/audit?limit=500`)).body),
      await everythingStoredFor(account.accountId),
    ].map((s) => s.toLowerCase());
    for (const text of seen) for (const g of gone) expect(text).not.toContain(g);
    // Bob is untouched.
    expect(JSON.stringify(await invitesOf(admin, sent))).toContain(bob.email);

    for (const who of [ada.email, carol.email]) {
      const page = await fetch(local(links[who]));
      expect(page.status).toBe(410);
      expect(await page.text()).not.toContain(who === ada.email ? ada.name : carol.name);
    }
    expect((await fetch(local(links[bob.email]))).status).toBe(200);

    const audit = (await admin.get(`/v1/campaigns/${sent}/audit?limit=500`)).body.data;
    const entries = audit.filter((e) => e.action === 'recipient_erased');
    expect(entries.map((e) => e.details?.reference)).toEqual(
      expect.arrayContaining([byAddress.body.reference, byContact.body.reference]),
    );

    const theirContacts = JSON.stringify((await otherAdmin.get('/v1/contacts')).body);
    expect(theirContacts).toContain(ada.email);
    expect(JSON.stringify(await invitesOf(otherAdmin, theirs))).toContain(ada.name);
  });

  it('when an erased address is invited again, then its suppression still holds and nothing is sent to it', async () => {
    const again = await draft(admin, { name: 'Again' });
    await admin.post(`/v1/campaigns/${again}/invites/bulk`, { recipients: [{ email: ada.email }, bob] });
    await admin.post(`/v1/campaigns/${again}/launch`);
    const delivered = await eventually(async () => {
      const rows = await invitesOf(admin, again);
      return rows.every((r) => r.delivery.status !== null && r.delivery.status !== 'sending')
        ? rows
        : undefined;
    });
    expect(delivered.find((r) => r.email === ada.email)?.delivery.status).toBe('suppressed');
    expect(delivered.find((r) => r.email === bob.email)?.delivery.status).toBe('sent');
    expect((await outbox(admin)).filter((m) => m.to.includes(ada.email))).toEqual([]);
    expect(
      await stack.db.manager.countBy(Suppression, { accountId: account.accountId, email: ada.email }),
    ).toBe(0);
  });

  it('when erased invitations had been sent, then they are still charged when the campaign settles', async () => {
    const sent = (await admin.get('/v1/campaigns?limit=100')).body.data.find((c) => c.name === 'Sent')!.id;
    await admin.post(`/v1/campaigns/${sent}/cancel`);
    await untilStatus(admin, sent, 'cancelled');
    const usage = await eventually(async () => {
      const row = (await admin.get('/v1/account/usage')).body.data.find((u) => u.campaignId === sent);
      return row && row.heldCents === 0 ? row : undefined;
    });
    // Ada, Carol (both erased) and Bob were emailed: three invitations at 10 cents.
    expect(usage.chargedCents).toBe(30);
  });

  it('when the caller is a support key or names another account, then nothing is erased (403 / 404); bad input is a 400', async () => {
    const contact = await admin.post('/v1/contacts', { email: `dora-${run}@example.com` });
    const support = stack.api.as(await stack.newKey(account.accountId, 'support'));
    expect((await support.post('/v1/recipients/erase', { email: `dora-${run}@example.com` })).status).toBe(
      403,
    );
    expect((await support.delete(`/v1/contacts/${contact.body.id}`)).status).toBe(403);
    const foreign = await otherAdmin.delete(`/v1/contacts/${contact.body.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    expect((await admin.post('/v1/recipients/erase', { email: 'not an address' })).status).toBe(400);
    expect((await admin.request('POST', '/v1/recipients/erase', { email: 'a@b.co', extra: 1 })).status).toBe(
      400,
    );
    expect((await admin.delete('/v1/contacts/nope')).status).toBe(400);
    expect(JSON.stringify((await admin.get('/v1/contacts?limit=500')).body)).toContain(
      `dora-${run}@example.com`,
    );
  });
});
