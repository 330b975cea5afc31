import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { draft, untilInstant, untilStatus } from './support/campaigns';
import { useAccount, useStack } from './support/stack';

const DAY = 86_400_000;

describe("A campaign's invite defaults: what an invite gets when it names no expiry or reminder", () => {
  const stack = useStack();
  const account = useAccount(stack, 1_000_000);
  const api = account.api;

  const invitesOf = (campaignId: string) => stack.db.manager.findBy(Invite, { campaignId });
  /** How long after it was added the invite expires, and how long before that its reminder comes. */
  const deadlines = (i: Invite) => ({
    expiresAfter: i.expiresAt ? i.expiresAt.getTime() - i.createdAt.getTime() : null,
    remindsBefore: i.expiresAt && i.reminderAt ? i.expiresAt.getTime() - i.reminderAt.getTime() : null,
    reminderDaysBefore: i.reminderDaysBefore,
  });

  it('when a campaign has invite defaults, then invites added one at a time, in bulk, by CSV import and from saved contacts all get them (link-only ones without a reminder)', async () => {
    const id = await draft(api, { inviteDefaults: { expiresIn: '7d', reminderDaysBefore: 1.5 } });
    expect((await api.get(`/v1/campaigns/${id}`)).body.inviteDefaults).toEqual({
      expiresIn: '7d',
      reminderDaysBefore: 1.5,
    });

    expect((await api.post(`/v1/campaigns/${id}/invites`, { email: 'one@example.com' })).status).toBe(201);
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { count: 1 })).status).toBe(201);
    const bulk = await api.post(`/v1/campaigns/${id}/invites/bulk`, {
      recipients: [{ email: 'bulk@example.com', name: 'Bulk' }],
    });
    expect(bulk.status).toBe(201);
    const csv = await api.post(`/v1/campaigns/${id}/invites/import`, 'email,name\ncsv@example.com,Csv\n', {
      'content-type': 'text/csv',
    });
    expect(csv.body).toEqual({ imported: 1, rejected: [] });
    const contact = await api.post('/v1/contacts', { email: 'saved-default@example.com', name: 'Saved' });
    expect(
      (await api.post(`/v1/campaigns/${id}/invites/from-contacts`, { contactIds: [contact.body.id] })).body,
    ).toEqual({ created: 1, skipped: 0 });

    const invites = await invitesOf(id);
    expect(invites).toHaveLength(5);
    for (const invite of invites) {
      expect(deadlines(invite)).toEqual({
        expiresAfter: 7 * DAY,
        remindsBefore: invite.email ? 1.5 * DAY : null,
        reminderDaysBefore: 1.5,
      });
    }
  });

  it('when an invite names its own expiry or reminder, then its own value wins, field by field, and one that never expires gets no reminder', async () => {
    const id = await draft(api, { inviteDefaults: { expiresIn: '7d', reminderDaysBefore: 2 } });
    const add = async (
      email: string,
      own: { expiresIn?: '1d' | '30d' | 'never'; reminderDaysBefore?: number },
    ) => {
      const res = await api.post(`/v1/campaigns/${id}/invites`, { email, ...own });
      expect(res.status).toBe(201);
      return deadlines(await stack.db.manager.findOneByOrFail(Invite, { id: res.body.id }));
    };
    expect(await add('never@example.com', { expiresIn: 'never' })).toEqual({
      expiresAfter: null,
      remindsBefore: null,
      reminderDaysBefore: null,
    });
    expect(await add('month@example.com', { expiresIn: '30d' })).toEqual({
      expiresAfter: 30 * DAY,
      remindsBefore: 2 * DAY,
      reminderDaysBefore: 2,
    });
    expect(await add('day@example.com', { expiresIn: '1d', reminderDaysBefore: 0.5 })).toEqual({
      expiresAfter: DAY,
      remindsBefore: 0.5 * DAY,
      reminderDaysBefore: 0.5,
    });
    const bulk = await api.post(`/v1/campaigns/${id}/invites/bulk`, {
      recipients: [{ email: 'bulk-own@example.com' }],
      expiresIn: '1d',
      reminderDaysBefore: 0.25,
    });
    expect(bulk.status).toBe(201);
    const own = await stack.db.manager.findOneByOrFail(Invite, {
      campaignId: id,
      email: 'bulk-own@example.com',
    });
    expect(deadlines(own)).toEqual({
      expiresAfter: DAY,
      remindsBefore: 0.25 * DAY,
      reminderDaysBefore: 0.25,
    });
  });

  it('when the defaults are an instant, then every invite expires then; once it has passed, an invite without its own expiry is refused (400, nothing added) and one with its own is not', async () => {
    const at = new Date(Date.now() + 3_000);
    // Any ISO spelling of the instant is stored as one.
    const offset = new Date(at.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    const id = await draft(api, { inviteDefaults: { expiresIn: offset } });
    expect((await api.get(`/v1/campaigns/${id}`)).body.inviteDefaults).toEqual({
      expiresIn: at.toISOString(),
      reminderDaysBefore: null,
    });
    const first = await api.post(`/v1/campaigns/${id}/invites`, { email: 'early@example.com' });
    expect(first.body.expiresAt).toBe(at.toISOString());

    await untilInstant(at.getTime() + 1);
    const late = await api.post(`/v1/campaigns/${id}/invites`, { email: 'late@example.com' });
    expect(late.status).toBe(400);
    expect(late.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(late.body.errors).toEqual([
      {
        field: 'expiresIn',
        message: `the campaign's default expiry (${at.toISOString()}) has passed: give the invite its own expiresIn, or change the campaign's inviteDefaults`,
      },
    ]);
    const bulk = await api.post(`/v1/campaigns/${id}/invites/bulk`, { count: 2 });
    expect(bulk.status).toBe(400);
    expect((await invitesOf(id)).map((i) => i.email)).toEqual(['early@example.com']);
    expect(
      (await api.post(`/v1/campaigns/${id}/invites`, { email: 'late@example.com', expiresIn: '7d' })).status,
    ).toBe(201);
  });

  it('when invite defaults are bad, then the answer is a 400 naming the field and nothing is created or changed', async () => {
    const bad: [unknown, string][] = [
      [{ expiresIn: '2d' }, 'inviteDefaults.expiresIn'],
      [{ expiresIn: '2020-01-01T00:00:00Z' }, 'inviteDefaults.expiresIn'],
      [{ reminderDaysBefore: 1 }, 'inviteDefaults.reminderDaysBefore'],
      [{ expiresIn: 'never', reminderDaysBefore: 1 }, 'inviteDefaults.reminderDaysBefore'],
      [{ expiresIn: '7d', reminderDaysBefore: -1 }, 'inviteDefaults.reminderDaysBefore'],
      [{ expiresIn: '7d', reminderDaysBefore: 366 }, 'inviteDefaults.reminderDaysBefore'],
      [{ expiresIn: '7d', remindEvery: 1 }, 'inviteDefaults.remindEvery'],
      ['7d', 'inviteDefaults'],
    ];
    const campaignsBefore = await stack.db.manager.countBy(Campaign, { accountId: account.accountId });
    for (const [inviteDefaults, field] of bad) {
      const res = await api.request('POST', '/v1/campaigns', { name: 'Bad defaults', inviteDefaults });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors?.map((e) => e.field)).toEqual([field]);
    }
    expect(await stack.db.manager.countBy(Campaign, { accountId: account.accountId })).toBe(campaignsBefore);

    const id = await draft(api, { inviteDefaults: { expiresIn: '30d', reminderDaysBefore: 3 } });
    const before = (await api.get(`/v1/campaigns/${id}`)).body;
    for (const [inviteDefaults, field] of bad) {
      const res = await api.request('PATCH', `/v1/campaigns/${id}`, { name: 'Renamed', inviteDefaults });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toEqual([field]);
    }
    const after = (await api.get(`/v1/campaigns/${id}`)).body;
    expect(after).toEqual(before);
  });

  it('when the owner changes the defaults of a launched campaign, then the next invite added gets the new ones and the audit log says what changed; once cancelled, they no longer change', async () => {
    const id = await draft(api, { inviteDefaults: { expiresIn: '7d' } });
    expect((await api.post(`/v1/campaigns/${id}/invites`, { email: 'first@example.com' })).status).toBe(201);
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    expect((await api.get(`/v1/campaigns/${id}`)).body.actions).toContain('change_link_settings');

    const changed = await api.patch(`/v1/campaigns/${id}`, {
      inviteDefaults: { expiresIn: '30d', reminderDaysBefore: 1 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.inviteDefaults).toEqual({ expiresIn: '30d', reminderDaysBefore: 1 });
    const next = await api.post(`/v1/campaigns/${id}/invites`, { email: 'next@example.com', send: false });
    expect(next.status).toBe(201);
    expect(deadlines(await stack.db.manager.findOneByOrFail(Invite, { id: next.body.id }))).toEqual({
      expiresAfter: 30 * DAY,
      remindsBefore: DAY,
      reminderDaysBefore: 1,
    });
    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
    expect(audit.filter((e) => e.action === 'settings_changed').map((e) => e.reason)).toEqual(
      expect.arrayContaining(['inviteExpiresIn: 7d → 30d', 'inviteReminderDaysBefore: none → 1']),
    );

    // All or nothing: a draft field beside them is refused, and the defaults stay.
    const mixed = await api.patch(`/v1/campaigns/${id}`, { name: 'Renamed', inviteDefaults: null });
    expect(mixed.status).toBe(409);
    expect((await api.get(`/v1/campaigns/${id}`)).body.inviteDefaults).toEqual({
      expiresIn: '30d',
      reminderDaysBefore: 1,
    });

    expect((await api.post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    await untilStatus(api, id, 'cancelled');
    const refused = await api.patch(`/v1/campaigns/${id}`, { inviteDefaults: null });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_state');
    expect((await api.get(`/v1/campaigns/${id}`)).body.inviteDefaults.expiresIn).toBe('30d');
  }, 60_000);
});
