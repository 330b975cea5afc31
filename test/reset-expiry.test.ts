import { formatInstant } from '../domain/format';
import { Invite } from '../entities/Invite';
import { inSeconds, untilStatus } from './support/campaigns';
import type { Schemas } from './support/api-types';
import { emailed, type EmailedInvite } from './support/delivery';
import { untilCampaignPast } from './support/idle';
import type { SentMessage } from './support/postmark-server';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

const DAY_MS = 86_400_000;

describe('Reset & resend starts the recipient over: a fresh expiry, never a dead link', () => {
  const { stack, fake } = usePostmarkStack();
  const { api, support } = useAccount(stack, 10_000_000, { support: true });

  let n = 0;
  /** A launched campaign with one invite, added with `options`, once its invitation went out. */
  async function sentInvite(
    options: Partial<Schemas['CreateInvite']>,
    campaign: Partial<Schemas['CreateCampaign']> = {},
  ): Promise<{ id: string; invite: EmailedInvite }> {
    const created = await api.post('/v1/campaigns', {
      name: 'Reset',
      description: 'Come along.',
      costPerInviteCents: 1,
      ...campaign,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const email = `reset${++n}-${Date.now()}@example.com`;
    const added = await api.post(`/v1/campaigns/${id}/invites`, { email, name: 'Ada', ...options });
    expect(added.status).toBe(201);
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active');
    const invite = await eventually(async () => {
      const rows = (await api.get(`/v1/campaigns/${id}/invites`)).body.data;
      return rows[0]?.sentAt ? emailed(rows[0]) : undefined;
    });
    return { id, invite };
  }

  const emailsTo = (address: string, kinds = ['invitation', 'resend']): SentMessage[] =>
    fake.sent.filter((m) => m.To === address && kinds.includes(m.Metadata.kind));
  const page = (url: string) => fetch(`${stack.baseUrl}${new URL(url).pathname}`);
  const ms = (iso: string | null) => Date.parse(iso!);

  it("when an invite's own expiry has passed and support resets it, then the new invite lasts as long as the original from now, its reminder is recomputed, its email states a future expiry, its link works, and the campaign's deadlines follow it", async () => {
    // Six seconds to live, a reminder three before: short enough to let pass for real.
    const { id, invite: old } = await sentInvite({ expiresIn: inSeconds(6), reminderDaysBefore: 3 / 86_400 });
    const lifetime = ms(old.expiresAt) - ms(old.createdAt);
    const reminderLead = ms(old.expiresAt) - ms(old.reminderAt);
    // Past its expiry, and the workflow has done what that instant asked of it.
    await untilCampaignPast(stack.temporal, id, old.expiresAt!);
    expect((await page(old.url)).status).toBe(410);

    // A plain resend would email the dead link: refused, pointing at Reset & resend.
    const before = emailsTo(old.email).length;
    const resent = await support.post(`/v1/invites/${old.id}/send`);
    expect(resent.status).toBe(409);
    expect(resent.body).toMatchObject({ status: 409, code: 'invite_expired' });
    expect(resent.body.detail).toContain(`POST /v1/invites/${old.id}/reset`);
    expect(emailsTo(old.email)).toHaveLength(before);

    const resetAt = Date.now();
    const reset = await support.post(`/v1/invites/${old.id}/reset`);
    expect(reset.status).toBe(200);
    const fresh = reset.body;
    expect(fresh.id).not.toBe(old.id);
    expect(ms(fresh.expiresAt)).toBeGreaterThan(Date.now());
    expect(ms(fresh.expiresAt) - ms(fresh.createdAt)).toBe(lifetime);
    expect(ms(fresh.createdAt)).toBeGreaterThanOrEqual(resetAt - 1000);
    expect(ms(fresh.expiresAt) - ms(fresh.reminderAt)).toBe(reminderLead);
    expect(fresh.linkState).toBe('ready');

    const [email] = fake.sent.filter(
      (m) => m.Metadata.inviteId === fresh.id && m.Metadata.kind === 'invitation',
    );
    expect(email.TextBody).toContain(fresh.url);
    expect(email.TextBody).toContain(`This link expires on ${formatInstant(new Date(fresh.expiresAt!))}.`);
    expect((await page(fresh.url)).status).toBe(200);

    // The workflow's deadlines follow the new invite: its reminder goes, then it expires.
    const reminder = await eventually(
      async () => fake.sent.find((m) => m.Metadata.inviteId === fresh.id && m.Metadata.kind === 'reminder'),
      { timeoutMs: 20_000 },
    );
    expect(reminder.TextBody).toContain(fresh.url);
    const swept = await eventually(
      async () => (await stack.db.manager.findOneByOrFail(Invite, { id: fresh.id })).expiredAt ?? undefined,
      { timeoutMs: 20_000 },
    );
    expect(swept.getTime()).toBeGreaterThanOrEqual(ms(fresh.expiresAt));
  }, 60_000);

  it('when a reset names an expiresIn, then the new invite takes it from now with its reminder recomputed; a bad one is a 400 that resets nothing', async () => {
    const { id, invite: old } = await sentInvite({ expiresIn: '7d', reminderDaysBefore: 2 });
    const sent = emailsTo(old.email).length;
    for (const body of [
      { expiresIn: 'soon' },
      { expiresIn: inSeconds(-60) },
      { expiresIn: '7d', extra: 1 },
    ]) {
      const refused = await support.request('POST', `/v1/invites/${old.id}/reset`, body);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
    }
    const past = await support.post(`/v1/invites/${old.id}/reset`, { expiresIn: inSeconds(-60) });
    expect(past.body.errors).toEqual([{ field: 'expiresIn', message: 'must be in the future' }]);
    expect(emailsTo(old.email)).toHaveLength(sent);
    expect((await api.get(`/v1/campaigns/${id}/invites`)).body.data.map((i) => i.id)).toEqual([old.id]);

    const longer = (await support.post(`/v1/invites/${old.id}/reset`, { expiresIn: '30d' })).body;
    expect(ms(longer.expiresAt) - ms(longer.createdAt)).toBe(30 * DAY_MS);
    expect(ms(longer.expiresAt) - ms(longer.reminderAt)).toBe(2 * DAY_MS);

    const at = inSeconds(3 * 86_400);
    const dated = (await support.post(`/v1/invites/${longer.id}/reset`, { expiresIn: at })).body;
    expect(dated.expiresAt).toBe(at);
    expect(ms(dated.expiresAt) - ms(dated.reminderAt)).toBe(2 * DAY_MS);

    const never = (await support.post(`/v1/invites/${dated.id}/reset`, { expiresIn: 'never' })).body;
    expect(never).toMatchObject({ expiresAt: null, reminderAt: null, linkState: 'ready' });
    const last = fake.sent.filter((m) => m.Metadata.inviteId === never.id);
    expect(last).toHaveLength(1);
    expect(last[0].TextBody).not.toContain('This link expires');
  }, 60_000);

  it('when the campaign has ended (cancelled, or expired), then a reset is a 409 that says why and what to do, and nothing is reset or sent', async () => {
    const cancelled = await sentInvite({});
    expect((await api.post(`/v1/campaigns/${cancelled.id}/cancel`)).status).toBe(200);
    await untilStatus(api, cancelled.id, 'cancelled');
    const sent = emailsTo(cancelled.invite.email).length;
    const refused = await support.post(`/v1/invites/${cancelled.invite.id}/reset`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'invalid_state', currentStatus: 'cancelled' });
    expect(refused.body.detail).toContain(`campaign ${cancelled.id} has ended (cancelled)`);
    expect(refused.body.detail).toContain('invite the recipient to another campaign');

    const expired = await sentInvite({}, { expiresAt: inSeconds(4) });
    await untilStatus(api, expired.id, 'expired', 20_000);
    for (const action of ['reset', 'send'] as const) {
      const answer = await support.post(`/v1/invites/${expired.invite.id}/${action}`);
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 'invalid_state', currentStatus: 'expired' });
      expect(answer.body.detail).toContain(`campaign ${expired.id} has ended (expired)`);
      expect(answer.body.detail).toContain("extend the campaign's expiry");
    }

    for (const { id, invite } of [cancelled, expired]) {
      expect((await api.get(`/v1/campaigns/${id}/invites`)).body.data.map((i) => i.id)).toEqual([invite.id]);
    }
    expect(emailsTo(cancelled.invite.email)).toHaveLength(sent);
    expect(emailsTo(expired.invite.email)).toHaveLength(1);
  }, 60_000);

  it('when an invite was erased, then its page, the links API, Copy link, send and reset each say it was erased, never "reset"', async () => {
    const { invite } = await sentInvite({});
    // Another recipient's invite, reset before the erasure: its old id leads to an erased one.
    const { invite: other } = await sentInvite({});
    const replacement = (await support.post(`/v1/invites/${other.id}/reset`)).body;
    for (const address of [invite.email, other.email])
      expect((await api.post('/v1/recipients/erase', { email: address })).status).toBe(200);
    const sent = fake.sent.length;

    const html = await page(invite.url);
    expect(html.status).toBe(410);
    const text = await html.text();
    expect(text).toContain('Invitation withdrawn');
    expect(text).toContain('the personal details it held have been erased');
    expect(text).not.toContain('Link Expired');

    const token = new URL(invite.url).pathname.split('/').pop();
    const link = await api.get(`/v1/links/${token}`);
    expect(link.status).toBe(410);
    expect(link.body).toMatchObject({ status: 410, code: 'invite_erased' });

    for (const id of [invite.id, other.id, replacement.id]) {
      for (const answer of [
        await api.get(`/v1/invites/${id}/link`),
        await support.post(`/v1/invites/${id}/send`),
        await support.post(`/v1/invites/${id}/reset`),
      ]) {
        expect(answer.status).toBe(410);
        expect(answer.body).toMatchObject({ code: 'invite_erased' });
        expect(answer.body.detail).toContain(`Invite ${id} was erased`);
        expect(answer.body).not.toHaveProperty('replacementId');
      }
    }
    expect(fake.sent).toHaveLength(sent);
  }, 60_000);
});
