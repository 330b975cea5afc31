import { draft, recordHistory, untilStatus } from './support/campaigns';
import { useStack } from './support/stack';

describe('Money: reserve on launch, settle at the end', () => {
  let failuresLeft = 0;
  const stack = useStack({
    // Simulates a crash between the reservation's commit and the activity's completion.
    afterCommit: (activity) => {
      if (activity === 'reserveForLaunch' && failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('worker lost right after committing the reservation');
      }
    },
  });

  const ledger = async (campaignId: string) =>
    (
      await stack.db.dataSource.query(
        'SELECT kind, amountCents FROM ledger_entries WHERE campaignId = ? ORDER BY id',
        [campaignId],
      )
    ).map((r: { kind: string; amountCents: string | number }) => [r.kind, Number(r.amountCents)]);

  it('when the available balance does not cover cost × invites, then 402 insufficient_balance, still draft, nothing reserved', async () => {
    const account = await stack.newAccount(100);
    const api = account.as(account.adminKey);
    const id = await draft(api, { costPerInviteCents: 25 }, 5);

    const res = await api.post(`/v1/campaigns/${id}/launch`);
    expect(res.status).toBe(402);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({ code: 'insufficient_balance', requiredCents: 125, availableCents: 100 });
    expect((await api.get(`/v1/campaigns/${id}`)).body).toMatchObject({ status: 'draft', reservedCents: 0 });
    expect((await api.get('/v1/account')).body).toMatchObject({
      balanceCents: 100,
      reservedCents: 0,
      availableCents: 100,
    });
    expect(await ledger(id)).toEqual([]);
    const audit = (await api.get(`/v1/campaigns/${id}/audit`)).body.data;
    expect(audit.at(-1)).toMatchObject({
      action: 'refused:launch',
      reason: 'insufficient_balance',
      details: { requiredCents: 125, availableCents: 100 },
    });

    // Add funds, and the same launch goes through.
    expect((await api.post('/v1/account/funds', { amountCents: 50 })).body).toMatchObject({
      balanceCents: 150,
      availableCents: 150,
    });
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    expect((await api.get('/v1/account')).body).toMatchObject({
      balanceCents: 150,
      reservedCents: 125,
      availableCents: 25,
    });
  });

  it('when other reservations hold part of the balance, then only the rest is available', async () => {
    const account = await stack.newAccount(100);
    const api = account.as(account.adminKey);
    const first = await draft(api, { costPerInviteCents: 10 }, 6);
    const second = await draft(api, { costPerInviteCents: 10 }, 6);
    expect((await api.post(`/v1/campaigns/${first}/launch`)).status).toBe(200);
    const refused = await api.post(`/v1/campaigns/${second}/launch`);
    expect(refused.body).toMatchObject({
      code: 'insufficient_balance',
      requiredCents: 60,
      availableCents: 40,
    });
  });

  it('when the reserve activity fails right after committing, then its retry finds the reservation: exactly one', async () => {
    const account = await stack.newAccount(10_000);
    const api = account.as(account.adminKey);
    const id = await draft(api, { costPerInviteCents: 7 }, 10);
    failuresLeft = 1;

    const res = await api.post(`/v1/campaigns/${id}/launch`);
    expect(res.status).toBe(200);
    expect(failuresLeft).toBe(0);
    expect(res.body.reservedCents).toBe(70);
    expect(await ledger(id)).toEqual([['reserve', 70]]);
    expect((await api.get('/v1/account')).body).toMatchObject({ reservedCents: 70, availableCents: 9_930 });
    await recordHistory(stack.temporal, id, 'reserve-retried-after-commit');
  });

  it('when a campaign is cancelled, then nothing sent means nothing charged and the whole hold is released', async () => {
    const account = await stack.newAccount(1_000);
    const api = account.as(account.adminKey);
    const id = await draft(api, { costPerInviteCents: 10 }, 4);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    await api.post(`/v1/campaigns/${id}/cancel`);
    expect(await ledger(id)).toEqual([
      ['reserve', 40],
      ['charge', 0],
      ['release', 40],
    ]);
    expect((await api.get('/v1/account')).body).toMatchObject({ balanceCents: 1_000, reservedCents: 0 });
    expect((await api.get('/v1/account/usage')).body).toEqual({
      data: [
        {
          campaignId: id,
          campaignName: 'Lifecycle',
          reservedCents: 40,
          chargedCents: 0,
          releasedCents: 40,
          heldCents: 0,
        },
      ],
      // The account opened with 1,000 cents: a deposit like any other.
      totals: { reservedCents: 40, chargedCents: 0, releasedCents: 40, fundedCents: 1_000 },
    });
  });

  it('when an invite is reset and the campaign cancelled, then that recipient is charged once, not for both links', async () => {
    const account = await stack.newAccount(1_000);
    const api = account.as(account.adminKey);
    const id = await draft(api, { costPerInviteCents: 10 });
    await api.post(`/v1/campaigns/${id}/invites/bulk`, {
      recipients: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
    });
    await api.post(`/v1/campaigns/${id}/invites/bulk`, { count: 1 }); // link-only: reserved, never sent
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [first] = (await api.get(`/v1/campaigns/${id}/invites?assigned=true`)).body.data;
    expect((await api.post(`/v1/invites/${first.id}/reset`)).status).toBe(200);
    await api.post(`/v1/campaigns/${id}/cancel`);
    expect(await ledger(id)).toEqual([
      ['reserve', 30],
      ['charge', 20],
      ['release', 10],
    ]);
  });

  it('when funds are added twice with the same Idempotency-Key, then the money arrives once', async () => {
    const account = await stack.newAccount(0);
    const api = account.as(account.adminKey);
    const headers = { 'idempotency-key': 'deposit-42' };
    expect((await api.post('/v1/account/funds', { amountCents: 500 }, headers)).body.balanceCents).toBe(500);
    expect((await api.post('/v1/account/funds', { amountCents: 500 }, headers)).body.balanceCents).toBe(500);
    expect((await api.post('/v1/account/funds', { amountCents: 0 })).body.code).toBe('validation_failed');
    // Any POST takes up to 200 characters; funds keep theirs in the ledger entry's key, so 100.
    const long = await api.post(
      '/v1/account/funds',
      { amountCents: 5 },
      { 'idempotency-key': 'k'.repeat(150) },
    );
    expect(long.status).toBe(400);
    expect(long.body.errors[0].field).toContain('idempotency-key');
    expect((await api.get('/v1/account/usage')).body.totals.fundedCents).toBe(500);
  });
});
