import { Invite } from '../entities/Invite';
import { inSeconds, untilStatus } from './support/campaigns';
import type { Schemas } from './support/api-types';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

const DAY_MS = 86_400_000;

describe("One invite's expiry, changed: audited, and the campaign's deadline timer follows", () => {
  const { stack, fake } = usePostmarkStack();
  const { api, support } = useAccount(stack, 10_000_000, { support: true });
  const other = useAccount(stack, 10_000_000);

  let n = 0;
  /** A launched campaign with one invite, added with `options`, once its invitation went out. */
  async function sentInvite(options: Partial<Schemas['CreateInvite']>): Promise<{
    id: string;
    invite: Schemas['Invite'];
  }> {
    const created = await api.post('/v1/campaigns', {
      name: 'Expiry',
      description: 'Hi.',
      costPerInviteCents: 1,
    });
    const id = created.body.id;
    const email = `expiry${++n}-${Date.now()}@example.com`;
    expect((await api.post(`/v1/campaigns/${id}/invites`, { email, name: 'Ada', ...options })).status).toBe(
      201,
    );
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    const invite = await eventually(async () => {
      const rows = (await api.get(`/v1/campaigns/${id}/invites`)).body.data;
      return rows[0]?.sentAt ? rows[0] : undefined;
    });
    return { id, invite };
  }
  const row = (id: string) => stack.db.manager.findOneByOrFail(Invite, { id });
  const changes = async (campaignId: string) =>
    (await api.get(`/v1/campaigns/${campaignId}/audit`)).body.data.filter(
      (e) => e.action === 'invite_expiry_changed',
    );

  it('when support brings an invite of 30 days forward to a few seconds from now, with a reminder, then it is audited, the reminder goes and the invite expires at the new instant, not in 30 days', async () => {
    const { id, invite } = await sentInvite({ expiresIn: '30d', reminderDaysBefore: 1 });
    const expiresAt = inSeconds(6);
    const changed = await support.patch(`/v1/invites/${invite.id}`, {
      expiresAt,
      reminderDaysBefore: 3 / 86_400,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: invite.id, expiresAt, linkState: 'ready' });
    expect(Date.parse(changed.body.expiresAt!) - Date.parse(changed.body.reminderAt!)).toBe(3000);

    const [entry] = await changes(id);
    expect(entry.reason).toContain(`invite ${invite.id}: expires ${invite.expiresAt} → ${expiresAt}`);
    expect(entry.details).toEqual({
      inviteId: invite.id,
      from: { expiresAt: invite.expiresAt, reminderDaysBefore: 1 },
      to: { expiresAt, reminderDaysBefore: 3 / 86_400 },
    });

    const reminder = await eventually(
      async () => fake.sent.find((m) => m.Metadata.inviteId === invite.id && m.Metadata.kind === 'reminder'),
      { timeoutMs: 20_000 },
    );
    expect(reminder.TextBody).toContain(invite.url);
    const swept = await eventually(async () => (await row(invite.id)).expiredAt ?? undefined, {
      timeoutMs: 20_000,
    });
    expect(swept.getTime()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    expect(swept.getTime()).toBeLessThan(Date.parse(expiresAt) + 10_000);

    // Expired now: it cannot change; Reset & resend starts it over.
    const late = await support.patch(`/v1/invites/${invite.id}`, { expiresIn: '7d' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'invite_expired' });
    expect(late.body.detail).toContain(`POST /v1/invites/${invite.id}/reset`);
  }, 60_000);

  it('when the admin gives a later expiry with expiresIn, then the reminder keeps its lead; never drops the reminder', async () => {
    const { invite } = await sentInvite({ expiresIn: '7d', reminderDaysBefore: 2 });
    const later = (await api.patch(`/v1/invites/${invite.id}`, { expiresIn: '30d' })).body;
    expect(Date.parse(later.expiresAt!) - Date.now()).toBeGreaterThan(29 * DAY_MS);
    expect(Date.parse(later.expiresAt!) - Date.parse(later.reminderAt!)).toBe(2 * DAY_MS);
    const shorter = (await api.patch(`/v1/invites/${invite.id}`, { reminderDaysBefore: 1 })).body;
    expect(shorter.expiresAt).toBe(later.expiresAt);
    expect(Date.parse(shorter.expiresAt!) - Date.parse(shorter.reminderAt!)).toBe(DAY_MS);
    const never = (await api.patch(`/v1/invites/${invite.id}`, { expiresIn: 'never' })).body;
    expect(never).toMatchObject({ expiresAt: null, reminderAt: null, linkState: 'ready' });
    expect((await row(invite.id)).reminderDaysBefore).toBeNull();
  }, 30_000);

  it('refusals change nothing and write no entry: the past, both forms at once, a reminder without an expiry, a used, a reset or another account’s invite', async () => {
    const { id, invite } = await sentInvite({ expiresIn: '7d', reminderDaysBefore: 2 });
    const before = await row(invite.id);
    const refused: [unknown, number, string][] = [
      [{ expiresAt: inSeconds(-60) }, 400, 'validation_failed'],
      [{ expiresIn: inSeconds(-60) }, 400, 'validation_failed'],
      [{ expiresIn: 'soon' }, 400, 'validation_failed'],
      [{ expiresAt: inSeconds(600), expiresIn: '7d' }, 400, 'validation_failed'],
      [{ expiresIn: 'never', reminderDaysBefore: 1 }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
      [{ expiresIn: '7d', extra: 1 }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of refused) {
      const answer = await support.request('PATCH', `/v1/invites/${invite.id}`, body);
      expect([body, answer.status, answer.body.code]).toEqual([body, status, code]);
    }
    const past = await support.patch(`/v1/invites/${invite.id}`, { expiresAt: inSeconds(-60) });
    expect(past.body.errors).toEqual([{ field: 'expiresAt', message: 'must be in the future' }]);
    const foreign = await other.api.patch(`/v1/invites/${invite.id}`, { expiresIn: '30d' });
    expect(foreign.status).toBe(404);

    // Reset: the old invite answers as Copy link does, naming the live one.
    const fresh = (await support.post(`/v1/invites/${invite.id}/reset`)).body;
    const reset = await support.patch(`/v1/invites/${invite.id}`, { expiresIn: '30d' });
    expect(reset.status).toBe(410);
    expect(reset.body).toMatchObject({ code: 'invite_reset', replacementId: fresh.id });

    // Used: its link has done its work.
    const token = new URL(fresh.url).pathname.split('/').pop()!;
    expect((await api.post(`/v1/links/${token}/complete`, { order: 'A-1' })).status).toBe(200);
    const used = await support.patch(`/v1/invites/${fresh.id}`, { expiresIn: '30d' });
    expect(used.status).toBe(409);
    expect(used.body).toMatchObject({ code: 'invalid_state', currentStatus: 'used' });

    const after = await row(invite.id);
    expect([after.expiresAt, after.reminderAt, after.reminderDaysBefore]).toEqual([
      before.expiresAt,
      before.reminderAt,
      before.reminderDaysBefore,
    ]);
    expect((await row(fresh.id)).expiresAt).toEqual(new Date(fresh.expiresAt!));
    expect(await changes(id)).toEqual([]);
  }, 30_000);
});
