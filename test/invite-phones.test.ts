import { checkPhone } from '../recipients/phone';
import { checkedFetch } from './support/openapi-check';
import { Invite } from '../entities/Invite';
import { draft, untilStatus } from './support/campaigns';
import { useAccount, useStack } from './support/stack';

describe('A phone number per recipient: optional, checked, kept in E.164', () => {
  it('reads international numbers as people write them and refuses the rest', () => {
    expect(checkPhone('+44 20 7946 0958')).toEqual({ ok: true, phone: '+442079460958' });
    expect(checkPhone(' +1 (415) 555-2671 ')).toEqual({ ok: true, phone: '+14155552671' });
    expect(checkPhone('020 7946 0958')).toEqual({
      ok: false,
      reason: 'phone must be international: + and the country code',
    });
    expect(checkPhone('+44 12')).toEqual({ ok: false, reason: 'not a valid phone number' });
    expect(checkPhone('+1 555 call me')).toEqual({ ok: false, reason: 'not a valid phone number' });
    expect(checkPhone(`+${'1'.repeat(40)}`)).toEqual({ ok: false, reason: 'phone too long' });
  });

  describe('through the API', () => {
    const stack = useStack();
    const account = useAccount(stack, 100_000);
    const { api } = account;

    it('when an invite is added with a phone, then it is stored and shown in E.164; a bad one is a 400 that adds nothing', async () => {
      const id = await draft(api);
      const added = await api.post(`/v1/campaigns/${id}/invites`, {
        email: 'ada@example.com',
        phone: '+44 20 7946 0958',
      });
      expect(added.status).toBe(201);
      expect(added.body.phone).toBe('+442079460958');
      const bad = await api.post(`/v1/campaigns/${id}/invites`, {
        email: 'bob@example.com',
        phone: '555-1234',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        { field: 'phone', message: 'phone must be international: + and the country code' },
      ]);
      const none = await api.post(`/v1/campaigns/${id}/invites`, { email: 'cy@example.com' });
      expect(none.body.phone).toBeNull();
      const bulk = await api.post(`/v1/campaigns/${id}/invites/bulk`, {
        recipients: [{ email: 'dee@example.com', phone: '+1 415 555 2671' }],
      });
      expect(bulk.status).toBe(201);
      const rows = (await api.get(`/v1/campaigns/${id}/invites`)).body.data;
      expect(Object.fromEntries(rows.map((i) => [i.email, i.phone]))).toEqual({
        'ada@example.com': '+442079460958',
        'cy@example.com': null,
        'dee@example.com': '+14155552671',
      });
    });

    it('when a CSV has a phone column, then good numbers are imported in E.164, a bad one rejects its row, and the export has them', async () => {
      const id = await draft(api);
      const csv = [
        'email,name,phone',
        'ada@example.com,Ada,+44 20 7946 0958',
        'bob@example.com,Bob,',
        'cy@example.com,Cy,0207 946 0958',
      ].join('\n');
      const imported = await api.post(`/v1/campaigns/${id}/invites/import`, csv, {
        'content-type': 'text/csv',
      });
      expect(imported.body).toEqual({
        imported: 2,
        rejected: [
          { row: 4, email: 'cy@example.com', reason: 'phone must be international: + and the country code' },
        ],
      });
      const res = await checkedFetch(`${stack.baseUrl}/v1/campaigns/${id}/invites/export`, {
        headers: { authorization: `Bearer ${account.adminKey}` },
      });
      const lines = (await res.text()).trim().split('\r\n');
      expect(lines[0].split(',').pop()).toBe('phone');
      const byEmail = Object.fromEntries(lines.slice(1).map((l) => [l.split(',')[2], l.split(',').pop()]));
      // A cell starting with + is what spreadsheets run as a formula: prefixed with ' as every such cell.
      expect(byEmail).toEqual({ 'ada@example.com': "'+442079460958", 'bob@example.com': '' });
    });

    it('when an invite with a phone is reset, then the new one keeps it; when its recipient is erased, then it is gone', async () => {
      const id = await draft(api);
      const email = `eve-${Date.now()}@example.com`;
      const first = (await api.post(`/v1/campaigns/${id}/invites`, { email, phone: '+33 1 23 45 67 89' }))
        .body;
      expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
      await untilStatus(api, id, 'active');
      const second = (await api.post(`/v1/invites/${first.id}/reset`)).body;
      expect(second).toMatchObject({ email, phone: '+33123456789' });
      expect((await api.post('/v1/recipients/erase', { email })).status).toBeLessThan(300);
      const rows = await stack.db.manager.findBy(Invite, { campaignId: id });
      expect(rows.map((r) => [r.email, r.phone])).toEqual([
        [null, null],
        [null, null],
      ]);
    }, 30_000);
  });
});
