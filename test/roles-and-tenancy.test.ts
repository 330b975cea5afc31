import { draft } from './support/campaigns';
import { useAccount, useStack } from './support/stack';

describe('Roles and tenancy', () => {
  const stack = useStack();
  const { api: admin, support } = useAccount(stack, 100_000, { support: true });
  let campaignId: string;
  let inviteId: string;

  beforeAll(async () => {
    campaignId = await draft(admin, {}, 2);
    await admin.post(`/v1/campaigns/${campaignId}/launch`);
    inviteId = (await admin.get(`/v1/campaigns/${campaignId}/invites`)).body.data[0].id;
  });

  // Every route, in an order that leaves each one something to act on. Allowed: the
  // support key gets a non-403 answer; refused: 403 forbidden and nothing changes.
  const matrix: [string, string, (id: string) => string, unknown, 'allowed' | 'forbidden'][] = [
    [
      'PUT',
      'set the email provider',
      () => '/v1/account/email-provider',
      { postmarkServerToken: 'token-123456', fromEmail: 'a@b.co' },
      'forbidden',
    ],
    ['GET', 'read the invite table', (id) => `/v1/campaigns/${id}/invites`, undefined, 'allowed'],
    ['GET', 'export invites', (id) => `/v1/campaigns/${id}/invites/export`, undefined, 'allowed'],
    ['GET', 'copy a link', () => `/v1/invites/${inviteId}/link`, undefined, 'allowed'],
    ['PATCH', "change an invite's expiry", () => `/v1/invites/${inviteId}`, { expiresIn: '30d' }, 'allowed'],
    [
      'POST',
      'add one invite',
      (id) => `/v1/campaigns/${id}/invites`,
      { email: 'x@example.com' },
      'forbidden',
    ],
    [
      'POST',
      'import a CSV',
      (id) => `/v1/campaigns/${id}/invites/import`,
      {}, // the role is checked before the body's type
      'forbidden',
    ],
    [
      'POST',
      'invite contacts',
      (id) => `/v1/campaigns/${id}/invites/from-contacts`,
      { contactIds: ['00000000-0000-7000-8000-000000000000'] },
      'forbidden',
    ],
    ['POST', 'save a contact', () => '/v1/contacts', { email: 'c@example.com' }, 'forbidden'],
    ['GET', 'list contacts', () => '/v1/contacts', undefined, 'allowed'],
    ['GET', 'read the dev outbox', () => '/v1/outbox', undefined, 'allowed'],
    ['POST', 'retry failed deliveries', (id) => `/v1/campaigns/${id}/retry-failed`, {}, 'forbidden'],
    ['POST', 'send (resend) a notification', () => `/v1/invites/${inviteId}/send`, {}, 'allowed'],
    ['GET', 'account', () => '/v1/account', undefined, 'allowed'],
    ['GET', 'usage', () => '/v1/account/usage', undefined, 'allowed'],
    ['POST', 'add funds', () => '/v1/account/funds', { amountCents: 100 }, 'forbidden'],
    ['POST', 'create a key', () => '/v1/api-keys', { role: 'admin' }, 'forbidden'],
    ['GET', 'list campaigns', () => '/v1/campaigns', undefined, 'allowed'],
    ['GET', 'read a campaign', (id) => `/v1/campaigns/${id}`, undefined, 'allowed'],
    ['GET', 'read the audit log', (id) => `/v1/campaigns/${id}/audit`, undefined, 'allowed'],
    ['POST', 'create a campaign', () => '/v1/campaigns', { name: 'x' }, 'forbidden'],
    [
      'PATCH',
      'edit a campaign',
      (id) => `/v1/campaigns/${id}`,
      { expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      'forbidden',
    ],
    ['POST', 'add invites', (id) => `/v1/campaigns/${id}/invites/bulk`, { count: 1 }, 'forbidden'],
    ['POST', 'launch', (id) => `/v1/campaigns/${id}/launch`, {}, 'forbidden'],
    ['POST', 'pause', (id) => `/v1/campaigns/${id}/pause`, {}, 'allowed'],
    ['POST', 'resume', (id) => `/v1/campaigns/${id}/resume`, {}, 'allowed'],
    ['POST', 'reset & resend', () => `/v1/invites/${inviteId}/reset`, {}, 'allowed'],
    ['POST', 'cancel', (id) => `/v1/campaigns/${id}/cancel`, {}, 'forbidden'],
  ];

  it.each(matrix)('a support key may %s %s: %s', async (method, _what, path, body, expected) => {
    const res = await support.request(method, path(campaignId), body);
    if (expected === 'forbidden') {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden' });
    } else {
      expect(res.status).toBeLessThan(300);
    }
  });

  it('when a support key pauses and resumes, then the audit log names that key as the actor', async () => {
    const audit = (await admin.get(`/v1/campaigns/${campaignId}/audit`)).body.data;
    const supportKeyIds = new Set(audit.filter((e) => e.toStatus === 'paused').map((e) => e.actor));
    expect(supportKeyIds.size).toBe(1);
    expect([...supportKeyIds][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("when another account names this account's campaign on any route, then 404 not_found and nothing changes", async () => {
    const other = await stack.newAccount(100_000);
    const stranger = other.as(other.adminKey);
    for (const [method, path, body] of [
      ['GET', `/v1/campaigns/${campaignId}`, undefined],
      ['GET', `/v1/campaigns/${campaignId}/audit`, undefined],
      ['PATCH', `/v1/campaigns/${campaignId}`, { name: 'mine now' }],
      ['POST', `/v1/campaigns/${campaignId}/pause`, {}],
      ['POST', `/v1/campaigns/${campaignId}/cancel`, {}],
      ['POST', `/v1/campaigns/${campaignId}/invites/bulk`, { count: 1 }],
    ] as const) {
      const res = await stranger.request(method, path, body);
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 404, 'not_found']);
    }
    expect((await admin.get(`/v1/campaigns/${campaignId}`)).body.status).toBe('active');
    expect((await stranger.get('/v1/account/usage')).body.data).toEqual([]);
  });
});
