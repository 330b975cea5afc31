import { IsNull } from 'typeorm';
import { AuditEntry } from '../entities/AuditEntry';
import { draft, inSeconds } from './support/campaigns';
import type { Schemas } from './support/api-types';
import { type ApiClient, useStack } from './support/stack';

type Policy = Schemas['UpdateSendingPolicy'];
type SendWindow = NonNullable<Policy['window']>;

/** The SPEC's own example ("Sending policy"). */
const BERLIN_OFFICE: SendWindow = {
  timeZone: 'Europe/Berlin',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '17:30',
};
const SPEC_POLICY: Policy = {
  limits: [
    { max: 1000, windowSeconds: 3600 },
    { max: 10000, windowSeconds: 86400 },
  ],
  window: BERLIN_OFFICE,
};
const NO_POLICY: Policy = { limits: [], window: null };
/** The complaint and bounce guards an account has until it sets its own (docs/delivery.md). */
const DEFAULT_GUARDS = {
  complaintRate: 0.001,
  complaintMinDelivered: 1000,
  bounceRate: 0.05,
  bounceMinSent: 100,
};
/** A policy as the API shows it: what was put, with the guards it did not name. */
const shown = (policy: Policy) => ({ guards: DEFAULT_GUARDS, ...policy });
const NO_POLICY_VIEW = shown(NO_POLICY);
const SPEC_POLICY_VIEW = shown(SPEC_POLICY);
const NOT_A_ZONE = 'must be an IANA time zone such as Europe/Berlin (offsets like +02:00 are not zones)';

describe("The sending policy over HTTP: the account's limits and window, a campaign's own window, the recipient's zone", () => {
  const stack = useStack();

  /** A fresh account (each test its own policy), with an admin and a support key. */
  async function account() {
    const { accountId, adminKey, as } = await stack.newAccount(1_000_000);
    const admin = as(adminKey);
    const support = as(await stack.newKey(accountId, 'support'));
    return { accountId, admin, support };
  }
  const policyOf = async (api: ApiClient) => {
    const res = await api.get('/v1/account/sending-policy');
    expect(res.status).toBe(200);
    return res.body;
  };
  const policyChanges = (accountId: string) =>
    stack.db.manager.find(AuditEntry, {
      where: { accountId, campaignId: IsNull(), action: 'sending_policy_changed' },
      order: { id: 'ASC' },
    });
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  describe("The account's policy", () => {
    it('when an account has never set one, then any key reads no limits and no window', async () => {
      const { admin, support } = await account();
      expect(await policyOf(admin)).toEqual(NO_POLICY_VIEW);
      expect(await policyOf(support)).toEqual(NO_POLICY_VIEW);
    });

    it("when an admin puts the SPEC's policy, then every key reads it back and the audit log has the change once, with who made it", async () => {
      const { accountId, admin, support } = await account();
      const put = await admin.put('/v1/account/sending-policy', {
        ...SPEC_POLICY,
        window: { ...BERLIN_OFFICE, timeZone: 'europe/berlin' },
      });
      expect(put.status).toBe(200);
      expect(put.body).toEqual(SPEC_POLICY_VIEW); // the zone in its usual spelling
      expect(await policyOf(admin)).toEqual(SPEC_POLICY_VIEW);
      expect(await policyOf(support)).toEqual(SPEC_POLICY_VIEW);

      // The same policy again changes nothing, so it logs nothing.
      expect((await admin.put('/v1/account/sending-policy', SPEC_POLICY)).status).toBe(200);
      const changes = await policyChanges(accountId);
      expect(changes).toHaveLength(1);
      expect(changes[0].actor).toBe((await admin.get('/v1/me')).body.keyId);
      expect(JSON.parse(changes[0].details!)).toEqual({ from: NO_POLICY_VIEW, to: SPEC_POLICY_VIEW });
      expect(changes[0].reason).toBe(
        '2 sending limits; send window Europe/Berlin mon,tue,wed,thu,fri 09:00–17:30; guards: complaints > 0.1% of ≥ 1000 delivered, hard bounces > 5% of ≥ 100 sent',
      );
    });

    it('when an admin puts no limits and no window, then the account is back to sending at any time, without limit', async () => {
      const { accountId, admin } = await account();
      await admin.put('/v1/account/sending-policy', SPEC_POLICY);
      const cleared = await admin.put('/v1/account/sending-policy', NO_POLICY);
      expect(cleared.status).toBe(200);
      expect(cleared.body).toEqual(NO_POLICY_VIEW);
      expect(await policyOf(admin)).toEqual(NO_POLICY_VIEW);
      expect((await policyChanges(accountId)).map((e) => JSON.parse(e.details!).to)).toEqual([
        SPEC_POLICY_VIEW,
        NO_POLICY_VIEW,
      ]);
    });

    it('when a support key puts a policy, then it is refused with 403 forbidden and the policy stays as it was', async () => {
      const { accountId, admin, support } = await account();
      await admin.put('/v1/account/sending-policy', SPEC_POLICY);
      const refused = await support.put('/v1/account/sending-policy', NO_POLICY);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
      expect(await policyOf(admin)).toEqual(SPEC_POLICY_VIEW);
      expect(await policyChanges(accountId)).toHaveLength(1);
    });

    const window = (change: Record<string, unknown>) => ({
      ...SPEC_POLICY,
      window: { ...BERLIN_OFFICE, ...change },
    });
    const guards = (change: Record<string, unknown>) => ({ ...SPEC_POLICY, guards: change });
    const limit = (change: Record<string, unknown>) => ({
      ...SPEC_POLICY,
      limits: [{ max: 1000, windowSeconds: 3600, ...change }],
    });
    it.each([
      ['a zone that does not exist', window({ timeZone: 'Mars/Olympus' }), ['window.timeZone']],
      ['an offset for a zone', window({ timeZone: '+02:00' }), ['window.timeZone']],
      ['a day that is not one', window({ days: ['mon', 'funday'] }), ['window.days.1']],
      ['no day at all', window({ days: [] }), ['window.days']],
      ['a window that ends where it starts', window({ to: '09:00' }), ['window.to']],
      ['a time that is not HH:MM', window({ from: '9am' }), ['window.from']],
      ['a field the window does not have', window({ hours: 8 }), ['window.hours']],
      ['a limit of no email', limit({ max: 0 }), ['limits.0.max']],
      ['a fraction of an email', limit({ max: 2.5 }), ['limits.0.max']],
      [
        'a limit over more than 31 days',
        limit({ windowSeconds: 31 * 86400 + 1 }),
        ['limits.0.windowSeconds'],
      ],
      ['a field a limit does not have', limit({ burst: 10 }), ['limits.0.burst']],
      [
        'two limits over the same window',
        { ...SPEC_POLICY, limits: [SPEC_POLICY.limits[0], { max: 5, windowSeconds: 3600 }] },
        ['limits.1.windowSeconds'],
      ],
      [
        'eleven limits',
        { ...SPEC_POLICY, limits: Array.from({ length: 11 }, (_, i) => ({ max: 10, windowSeconds: i + 1 })) },
        ['limits'],
      ],
      ['a field the policy does not have', { ...SPEC_POLICY, paused: true }, ['paused']],
      ['a complaint rate of nothing', guards({ complaintRate: 0 }), ['guards.complaintRate']],
      ['a bounce rate over everything', guards({ bounceRate: 1.5 }), ['guards.bounceRate']],
      ['a rate in percent as a string', guards({ complaintRate: '0.1%' }), ['guards.complaintRate']],
      ['a minimum sample of none', guards({ bounceMinSent: 0 }), ['guards.bounceMinSent']],
      ['a fraction of a sample', guards({ complaintMinDelivered: 10.5 }), ['guards.complaintMinDelivered']],
      ['a field the guards do not have', guards({ spamRate: 0.1 }), ['guards.spamRate']],
      ['no window field', { limits: [] }, ['window']],
      [
        'many mistakes at once',
        {
          limits: [{ max: 0, windowSeconds: 0 }],
          window: { timeZone: 'Nowhere', days: ['mon'], from: '10:00', to: '10:00' },
        },
        ['limits.0.max', 'limits.0.windowSeconds', 'window.timeZone', 'window.to'],
      ],
    ])(
      'when the policy has %s, then it is refused with 400 validation_failed naming the fields, and nothing changes',
      async (_, body, fields) => {
        const { accountId, admin } = await account();
        const res = await admin.request('PUT', '/v1/account/sending-policy', body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(fieldsOf(res.body).sort()).toEqual([...fields].sort());
        expect(await policyOf(admin)).toEqual(NO_POLICY_VIEW);
        expect(await policyChanges(accountId)).toEqual([]);
      },
    );

    it('when an admin puts only limits and a window, then the account keeps no guards of its own: it follows the defaults', async () => {
      const { accountId, admin } = await account();
      await admin.put('/v1/account/sending-policy', SPEC_POLICY);
      const [row] = await stack.db.dataSource.query<{ deliverabilityGuards: string | null }[]>(
        'SELECT deliverabilityGuards FROM accounts WHERE id = ?',
        [accountId],
      );
      expect(row.deliverabilityGuards).toBeNull();
    });

    it('when an admin puts guards, then every key reads them back, a field left out takes its default, and a later policy without guards keeps them', async () => {
      const { accountId, admin, support } = await account();
      const put = await admin.put('/v1/account/sending-policy', {
        ...NO_POLICY,
        guards: { complaintRate: 0.002, bounceMinSent: 500 },
      });
      expect(put.status).toBe(200);
      const ours = { ...DEFAULT_GUARDS, complaintRate: 0.002, bounceMinSent: 500 };
      expect(put.body.guards).toEqual(ours);
      expect((await policyOf(support)).guards).toEqual(ours);
      expect((await policyChanges(accountId))[0].reason).toBe(
        '0 sending limits; send window none; guards: complaints > 0.2% of ≥ 1000 delivered, hard bounces > 5% of ≥ 500 sent',
      );

      // An older client that knows only limits and window leaves the guards as they are.
      expect((await admin.put('/v1/account/sending-policy', SPEC_POLICY)).body).toEqual({
        ...SPEC_POLICY,
        guards: ours,
      });
      // `{}` is every default again.
      const reset = await admin.put('/v1/account/sending-policy', { ...SPEC_POLICY, guards: {} });
      expect(reset.body.guards).toEqual(DEFAULT_GUARDS);
      expect((await policyChanges(accountId)).map((e) => JSON.parse(e.details!).to.guards)).toEqual([
        ours,
        ours,
        DEFAULT_GUARDS,
      ]);
    });

    it('when a zone is wrong, then the error says what a zone is', async () => {
      const { admin } = await account();
      const res = await admin.request(
        'PUT',
        '/v1/account/sending-policy',
        window({ timeZone: 'Mars/Olympus' }),
      );
      expect(res.body.errors).toEqual([{ field: 'window.timeZone', message: NOT_A_ZONE }]);
    });
  });

  describe("A campaign's own window", () => {
    const NIGHT_SHIFT: SendWindow = {
      timeZone: 'America/New_York',
      days: ['sat', 'sun'],
      from: '22:00',
      to: '06:00',
    };

    it("when a campaign is created with its own window, then it shows it; created without one, it shows null (the account's)", async () => {
      const { admin } = await account();
      const own = await admin.post('/v1/campaigns', { name: 'Weekend nights', sendWindow: NIGHT_SHIFT });
      expect(own.status).toBe(201);
      expect(own.body.sendWindow).toEqual(NIGHT_SHIFT);
      expect((await admin.get(`/v1/campaigns/${own.body.id}`)).body.sendWindow).toEqual(NIGHT_SHIFT);

      const plain = await admin.post('/v1/campaigns', { name: 'Any time', sendWindow: null });
      expect(plain.status).toBe(201);
      expect(plain.body.sendWindow).toBeNull();
      expect((await admin.get(`/v1/campaigns/${plain.body.id}`)).body.sendWindow).toBeNull();
    });

    it('when a campaign is created with a bad window, then 400 names the field and no campaign is made', async () => {
      const { admin } = await account();
      const res = await admin.post('/v1/campaigns', {
        name: 'Bad hours',
        sendWindow: { ...NIGHT_SHIFT, days: ['sat', 'sat'] },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'sendWindow.days.1', message: 'repeats sat' }]);
      expect((await admin.get('/v1/campaigns')).body.data).toEqual([]);
    });

    it("when a draft's window is patched, then it shows the new one; null gives it back to the account's; a bad one changes nothing", async () => {
      const { admin } = await account();
      const id = await draft(admin);
      const set = await admin.patch(`/v1/campaigns/${id}`, { sendWindow: NIGHT_SHIFT });
      expect(set.status).toBe(200);
      expect(set.body.sendWindow).toEqual(NIGHT_SHIFT);

      const bad = await admin.patch(`/v1/campaigns/${id}`, {
        name: 'Renamed',
        sendWindow: { ...NIGHT_SHIFT, timeZone: 'GMT+2' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'sendWindow.timeZone', message: NOT_A_ZONE }]);
      const unchanged = (await admin.get(`/v1/campaigns/${id}`)).body;
      expect(unchanged).toMatchObject({ name: 'Lifecycle', sendWindow: NIGHT_SHIFT });

      const cleared = await admin.patch(`/v1/campaigns/${id}`, { sendWindow: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.sendWindow).toBeNull();
      expect((await admin.get(`/v1/campaigns/${id}`)).body.sendWindow).toBeNull();
    });

    it('when a launched campaign gets a window, then it takes it and the audit log says so; once cancelled, it is refused with 409 and keeps its window', async () => {
      const { admin } = await account();
      const id = await draft(admin, { startAt: inSeconds(3600) }, 1);
      expect((await admin.post(`/v1/campaigns/${id}/launch`)).body.status).toBe('scheduled');

      const set = await admin.patch(`/v1/campaigns/${id}`, { sendWindow: BERLIN_OFFICE });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ status: 'scheduled', sendWindow: BERLIN_OFFICE });
      const audit = (await admin.get(`/v1/campaigns/${id}/audit?limit=500`)).body.data;
      expect(audit.find((e) => e.action === 'settings_changed')).toMatchObject({
        reason: "sendWindow: the account's → Europe/Berlin mon,tue,wed,thu,fri 09:00–17:30",
        details: { field: 'sendWindow', from: null, to: BERLIN_OFFICE },
      });

      expect((await admin.post(`/v1/campaigns/${id}/cancel`)).body.status).toBe('cancelled');
      const refused = await admin.patch(`/v1/campaigns/${id}`, { sendWindow: NIGHT_SHIFT });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('invalid_state');
      expect((await admin.get(`/v1/campaigns/${id}`)).body.sendWindow).toEqual(BERLIN_OFFICE);
    });
  });

  describe("The recipient's zone", () => {
    const tableOf = async (api: ApiClient, id: string) =>
      (await api.get(`/v1/campaigns/${id}/invites?limit=500`)).body.data as {
        email: string | null;
        timeZone: string | null;
      }[];
    const zones = async (api: ApiClient, id: string) =>
      Object.fromEntries((await tableOf(api, id)).map((i) => [i.email, i.timeZone]));

    it("when one invite carries its recipient's zone, then it shows it in its usual spelling; an invite without one shows null", async () => {
      const { admin } = await account();
      const id = await draft(admin);
      const ny = await admin.post(`/v1/campaigns/${id}/invites`, {
        email: 'ada@example.com',
        timeZone: 'america/new_york',
      });
      expect(ny.status).toBe(201);
      expect(ny.body.timeZone).toBe('America/New_York');
      const plain = await admin.post(`/v1/campaigns/${id}/invites`, { email: 'bob@example.com' });
      expect(plain.body.timeZone).toBeNull();
      expect(await zones(admin, id)).toEqual({
        'ada@example.com': 'America/New_York',
        'bob@example.com': null,
      });
    });

    it('when one invite carries a zone that does not exist, then 400 names timeZone and no invite is added', async () => {
      const { admin } = await account();
      const id = await draft(admin);
      const res = await admin.post(`/v1/campaigns/${id}/invites`, {
        email: 'ada@example.com',
        timeZone: 'Europe/Atlantis',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'timeZone', message: NOT_A_ZONE }]);
      expect(await tableOf(admin, id)).toEqual([]);
    });

    it('when recipients are added in bulk with their zones, then each keeps its own; one bad zone refuses the whole list', async () => {
      const { admin } = await account();
      const id = await draft(admin);
      const bad = await admin.post(`/v1/campaigns/${id}/invites/bulk`, {
        recipients: [
          { email: 'ada@example.com', timeZone: 'Asia/Tokyo' },
          { email: 'bob@example.com', timeZone: 'UTC+1' },
        ],
      });
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad.body)).toEqual(['recipients.1.timeZone']);
      expect(await tableOf(admin, id)).toEqual([]);

      const good = await admin.post(`/v1/campaigns/${id}/invites/bulk`, {
        recipients: [
          { email: 'ada@example.com', timeZone: 'Asia/Tokyo' },
          { email: 'bob@example.com', name: 'Bob' },
        ],
      });
      expect(good.status).toBe(201);
      expect(await zones(admin, id)).toEqual({ 'ada@example.com': 'Asia/Tokyo', 'bob@example.com': null });
    });

    it('when a CSV has a timezone column, then each row keeps its zone and a row with an unknown zone is reported by number, not imported', async () => {
      const { admin } = await account();
      const id = await draft(admin);
      const csv = [
        'email,name,timezone',
        'ada@example.com,Ada,Europe/Berlin',
        'bob@example.com,Bob,',
        'cy@example.com,Cy,Moon/Tranquility',
        'dee@example.com,Dee,australia/sydney',
      ].join('\n');
      const res = await admin.post(`/v1/campaigns/${id}/invites/import`, csv, {
        'content-type': 'text/csv',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        imported: 3,
        rejected: [{ row: 4, email: 'cy@example.com', reason: `timezone ${NOT_A_ZONE}` }],
      });
      expect(await zones(admin, id)).toEqual({
        'ada@example.com': 'Europe/Berlin',
        'bob@example.com': null,
        'dee@example.com': 'Australia/Sydney',
      });
    });
  });
});
