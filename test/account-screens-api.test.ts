import { randomUUID } from 'node:crypto';
import { newId } from '../db/ids';
import { Suppression } from '../entities/Suppression';
import { WebhookDelivery } from '../entities/WebhookDelivery';
import { WebhookEndpoint } from '../entities/WebhookEndpoint';
import { configureLogs, toStdout } from '../ops/log';
import { draft } from './support/campaigns';
import { eventually, useAccount, useStack } from './support/stack';

/** What the console's Contacts, Privacy and Audit log screens read, through the public API. */
describe("The account's contacts, a person's whereabouts, and the account's audit log", () => {
  // No worker: nothing here is sent; an endpoint's workflow is only nudged.
  const stack = useStack({ worker: false, env: { ALLOW_HTTP_WEBHOOKS: 'true' } });
  const account = useAccount(stack, 100_000, { support: true });
  const admin = account.api;
  const other = useAccount(stack);
  const run = randomUUID().slice(0, 8);
  const csv = { 'content-type': 'text/csv' };

  describe('Contacts import', () => {
    it('when a contacts CSV has good rows, bad rows, a repeat and an address already saved, then the good ones are saved and every other row is reported with its row number', async () => {
      const saved = `saved-${run}@example.com`;
      expect((await admin.post('/v1/contacts', { email: saved })).status).toBe(201);
      const file = [
        'email,name',
        `ada-${run}@example.com,Ada Lovelace`,
        'not-an-address,Nobody',
        `bob-${run}@gmial.com,Bob`,
        `ADA-${run}@example.com,Ada again`,
        `${saved},Already`,
        `carol-${run}@example.com,`,
      ].join('\n');
      const res = await admin.post('/v1/contacts/import', file, csv);
      expect(res.status).toBe(200);
      expect(res.body.imported).toBe(2);
      expect(res.body.rejected).toEqual([
        { row: 3, email: 'not-an-address', reason: 'missing @' },
        { row: 4, email: `bob-${run}@gmial.com`, reason: expect.stringMatching(/domain typo/) },
        { row: 5, email: `ADA-${run}@example.com`, reason: expect.stringMatching(/duplicate/) },
        { row: 6, email: saved, reason: 'already a contact' },
      ]);
      const listed = (await admin.get('/v1/contacts?limit=500')).body.data as {
        email: string;
        name: string;
      }[];
      expect(listed.map((c) => c.email)).toEqual(
        expect.arrayContaining([`ada-${run}@example.com`, `carol-${run}@example.com`, saved]),
      );
      expect(listed.find((c) => c.email === `ada-${run}@example.com`)?.name).toBe('Ada Lovelace');
      // The other account saw none of it.
      expect((await other.api.get('/v1/contacts')).body.data).toEqual([]);
    });

    it('when the same file is imported twice at once, then each address is saved once and the other import reports it as already a contact', async () => {
      const file = ['email,name', ...[1, 2, 3].map((n) => `twice-${n}-${run}@example.com,Twice ${n}`)].join(
        '\n',
      );
      const [a, b] = await Promise.all([
        admin.post('/v1/contacts/import', file, csv),
        admin.post('/v1/contacts/import', file, csv),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect([a.body.imported, b.body.imported].sort()).toEqual([0, 3]);
      const again = a.body.imported === 0 ? a.body : b.body;
      expect(again.rejected.map((r) => r.reason)).toEqual(Array(3).fill('already a contact'));
      const listed = (await admin.get('/v1/contacts?limit=500')).body.data.filter((c) =>
        c.email.startsWith('twice-'),
      );
      expect(listed).toHaveLength(3);
    });

    it('when the file has no email column, is not CSV, or comes from a support key, then it is refused and nothing is saved', async () => {
      const before = (await admin.get('/v1/contacts?limit=500')).body.data.length;
      const noHeader = await admin.post('/v1/contacts/import', `name\nAda ${run}`, csv);
      expect(noHeader.status).toBe(400);
      expect(noHeader.body.code).toBe('validation_failed');
      const notCsv = await admin.post('/v1/contacts/import', `{"email":"x-${run}@example.com"}`, {
        'content-type': 'application/json',
      });
      expect(notCsv.status).toBe(400);
      const bySupport = await account.support.post(
        '/v1/contacts/import',
        `email\nsupport-${run}@example.com`,
        csv,
      );
      expect(bySupport.status).toBe(403);
      expect((await admin.get('/v1/contacts?limit=500')).body.data.length).toBe(before);
    });
  });

  describe('Finding a person by address', () => {
    it('when an admin looks up an address, then they see each contact, the campaigns with invites to it and its suppression, in this account only, and the address is never logged', async () => {
      const email = `dora-${run}@example.com`;
      const contact = await admin.post('/v1/contacts', { email, name: 'Dora' });
      const first = await draft(admin, { name: `Spring ${run}` });
      const second = await draft(admin, { name: `Summer ${run}` });
      await admin.post(`/v1/campaigns/${first}/invites`, { email, name: 'Dora' });
      await admin.post(`/v1/campaigns/${second}/invites`, { email });
      await stack.db.manager.insert(Suppression, {
        id: randomUUID(),
        accountId: account.accountId,
        email,
        reason: 'unsubscribed',
        createdAt: new Date(),
      });
      // Another account knows her too: none of that shows here.
      await other.api.post('/v1/contacts', { email });
      const theirs = await draft(other.api, { name: `Theirs ${run}` });
      await other.api.post(`/v1/campaigns/${theirs}/invites`, { email });

      const lines: string[] = [];
      configureLogs({ level: 'debug', write: (line) => void lines.push(line) });
      let res;
      try {
        res = await admin.get(`/v1/recipients?email=${encodeURIComponent(` ${email.toUpperCase()} `)}`);
        // The request's line is written once the answer has gone out.
        await eventually(async () => lines.some((l) => l.includes('/v1/recipients')) || undefined);
      } finally {
        configureLogs({ level: 'warn', write: toStdout }); // as test/support/setup-file.ts has it
      }
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        email,
        contacts: [{ id: contact.body.id, name: 'Dora', createdAt: expect.any(String) }],
        campaigns: [
          { campaignId: second, campaignName: `Summer ${run}`, invites: 1 },
          { campaignId: first, campaignName: `Spring ${run}`, invites: 1 },
        ],
        suppression: { reason: 'unsubscribed', createdAt: expect.any(String) },
      });
      // The request was logged (above), without the address.
      expect(lines.join('\n').toLowerCase()).not.toContain(`dora-${run}`);
    });

    it('when an address appears nowhere, then the answer is empty; when it is not an address, then 400; when a support key asks, then 403', async () => {
      const nowhere = await admin.get(`/v1/recipients?email=nobody-${run}@example.com`);
      expect(nowhere.status).toBe(200);
      expect(nowhere.body).toEqual({
        email: `nobody-${run}@example.com`,
        contacts: [],
        campaigns: [],
        suppression: null,
      });
      const bad = await admin.get('/v1/recipients?email=no-at-sign');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('validation_failed');
      expect((await admin.get('/v1/recipients')).status).toBe(400);
      expect((await account.support.get(`/v1/recipients?email=dora-${run}@example.com`)).status).toBe(403);
    });
  });

  describe("The account's audit log", () => {
    type Entry = { action: string; actor: string; campaignId: string | null; campaignName: string | null };
    const entries = async (query = '') =>
      (await admin.get(`/v1/audit?limit=500${query}`)).body.data as Entry[];

    it('when keys, the sending policy, the sender, settings and endpoints change and a person is erased, then each is an account entry (no campaign) by the key that did it, newest first', async () => {
      const me = (await admin.get('/v1/me')).body.keyId;
      const key = await admin.post('/v1/api-keys', { role: 'support', name: `Desk ${run}` });
      expect((await admin.delete(`/v1/api-keys/${key.body.id}`)).status).toBe(200);
      await admin.put('/v1/account/sending-policy', {
        limits: [{ max: 100, windowSeconds: 3600 }],
        window: null,
      });
      await admin.put('/v1/account/email-provider', {
        postmarkServerToken: `server-token-${run}`,
        fromEmail: `news-${run}@example.com`,
      });
      await admin.patch('/v1/account', { expiryGraceDays: 3 });
      const hook = await admin.post('/v1/webhook-endpoints', {
        url: `http://127.0.0.1:9/hook?token=secret-${run}`,
      });
      expect(hook.status).toBe(201);
      // Herald switched it off after its failures; retrying one delivery turns it back on.
      await stack.db.manager.update(
        WebhookEndpoint,
        { id: hook.body.id },
        { state: 'disabled', disabledAt: new Date() },
      );
      const failed = newId();
      await stack.db.manager.insert(WebhookDelivery, {
        id: failed,
        endpointId: hook.body.id,
        eventId: newId(),
        eventType: 'campaign.paused',
        state: 'failed',
        attempts: 8,
        lastStatus: 500,
        lastLatencyMs: 12,
        lastError: 'HTTP 500',
        lastAttemptAt: new Date(),
        nextAttemptAt: null,
        createdAt: new Date(),
      });
      expect((await admin.post(`/v1/webhook-deliveries/${failed}/retry`)).status).toBe(200);
      expect((await admin.delete(`/v1/webhook-endpoints/${hook.body.id}`)).status).toBe(204);
      await admin.post('/v1/recipients/erase', { email: `dora-${run}@example.com` });

      const account = (await entries()).filter((e) => e.campaignId === null && e.actor === me);
      expect(account.map((e) => e.action).slice(0, 9)).toEqual([
        'recipient_erased',
        'webhook_endpoint_deleted',
        'webhook_endpoint_enabled',
        'webhook_endpoint_created',
        'account_settings_changed',
        'email_sender_set',
        'sending_policy_changed',
        'api_key_revoked',
        'api_key_created',
      ]);
      const text = JSON.stringify(await entries());
      expect(text).not.toContain(`server-token-${run}`); // never the sender's token
      expect(text).not.toContain(`secret-${run}`); // nor a token in a receiver's URL
      expect(text).not.toContain(`dora-${run}`); // nor the erased address
      // The same grace again changes nothing and logs nothing.
      await admin.patch('/v1/account', { expiryGraceDays: 3 });
      expect((await entries('&action=account_settings_changed')).length).toBe(1);
    });

    it("when filtered by campaign, actor or kind, then only those entries come, in pages; another account's entries never show, even by its campaign's id", async () => {
      const mine = await draft(admin, { name: `Filtered ${run}` });
      const theirs = await draft(other.api, { name: `Not yours ${run}` });

      const byCampaign = await entries(`&campaignId=${mine}`);
      expect(byCampaign.length).toBeGreaterThan(0);
      expect(byCampaign.every((e) => e.campaignId === mine && e.campaignName === `Filtered ${run}`)).toBe(
        true,
      );
      expect(await entries(`&campaignId=${theirs}`)).toEqual([]);
      expect((await entries()).some((e) => e.campaignId === theirs)).toBe(false);
      expect(
        (await other.api.get('/v1/audit?limit=500')).body.data.some((e: Entry) => e.campaignId === mine),
      ).toBe(false);

      const created = await entries('&action=created');
      expect(created.length).toBeGreaterThan(0);
      expect(created.every((e) => e.action === 'created')).toBe(true);
      expect((await entries('&actor=system')).every((e) => e.actor === 'system')).toBe(true);

      // Pages: two at a time, newest first, no entry twice, the last page says so.
      const all = await entries();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await account.support.get(`/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200); // support may read the log
        const body = res.body as { data: { id: string }[]; nextCursor: string | null };
        seen.push(...body.data.map((e) => e.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((e) => (e as unknown as { id: string }).id));

      const bad = await admin.get('/v1/audit?campaignId=nope&action=DROP%20TABLE');
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'campaignId']);
    });
  });
});
