import { draft, inSeconds, untilStatus } from './support/campaigns';
import { eventually, useAccount, useStack } from './support/stack';
import { checkedFetch } from './support/openapi-check';

describe('Invites: the ways in, the table, export and copy link', () => {
  const stack = useStack();
  const account = useAccount(stack, 1_000_000);
  const api = account.api;

  const table = async (id: string, query = '') =>
    (await api.get(`/v1/campaigns/${id}/invites?limit=500${query}`)).body.data;

  it('when one invite is added, then it has its own private link, expiry and reminder, and shows in the table', async () => {
    const id = await draft(api);
    const res = await api.post(`/v1/campaigns/${id}/invites`, {
      email: 'Ada@Example.com',
      name: 'Ada',
      expiresIn: '7d',
      reminderDaysBefore: 1.5,
    });
    expect(res.status).toBe(201);
    const invite = res.body;
    expect(invite).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      status: 'unused',
      journey: 'created',
      linkState: 'not_open',
      sentAt: null,
    });
    expect(invite.url).toMatch(new RegExp(`^${stack.config.publicBaseUrl}/i/[A-Za-z0-9_-]{32}$`));
    const expires = Date.parse(invite.expiresAt!) - Date.parse(invite.createdAt);
    expect(expires).toBe(7 * 86_400_000);
    expect(Date.parse(invite.expiresAt!) - Date.parse(invite.reminderAt!)).toBe(1.5 * 86_400_000);
    expect((await api.get(`/v1/invites/${invite.id}/link`)).body).toEqual({ url: invite.url });
    expect((await table(id)).map((i) => i.id)).toEqual([invite.id]);

    const again = await api.post(`/v1/campaigns/${id}/invites`, { email: 'ada@example.com' });
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual([{ field: 'email', message: 'duplicate in campaign' }]);
    const noExpiry = await api.post(`/v1/campaigns/${id}/invites`, {
      email: 'bob@example.com',
      reminderDaysBefore: 1,
    });
    expect(noExpiry.body.errors).toEqual([
      { field: 'reminderDaysBefore', message: 'needs an expiresIn other than never' },
    ]);
  });

  it('when invites come in bulk (link-only or recipients) or from saved contacts, then the table filters them by status and assignment', async () => {
    const id = await draft(api);
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { count: 3 })).body).toEqual({ created: 3 });
    const recipients = [{ email: 'c1@example.com', name: 'One' }, { email: 'c2@example.com' }];
    expect(
      (await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients, expiresIn: '30d' })).body,
    ).toEqual({ created: 2 });

    const contact = await api.post('/v1/contacts', { email: 'saved@example.com', name: 'Saved' });
    expect(contact.status).toBe(201);
    expect((await api.post('/v1/contacts', { email: 'saved@example.com' })).body.code).toBe('conflict');
    expect((await api.get('/v1/contacts')).body.data.map((c) => c.email)).toContain('saved@example.com');
    expect(
      (await api.post(`/v1/campaigns/${id}/invites/from-contacts`, { contactIds: [contact.body.id] })).body,
    ).toEqual({ created: 1, skipped: 0 });
    expect(
      (await api.post(`/v1/campaigns/${id}/invites/from-contacts`, { contactIds: [contact.body.id] })).body,
    ).toEqual({ created: 0, skipped: 1 });

    expect(await table(id)).toHaveLength(6);
    expect(await table(id, '&assigned=false')).toHaveLength(3);
    expect((await table(id, '&assigned=true')).map((i) => i.email).sort()).toEqual([
      'c1@example.com',
      'c2@example.com',
      'saved@example.com',
    ]);
    expect(await table(id, '&status=used')).toHaveLength(0);
    expect(await table(id, '&status=unused')).toHaveLength(6);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await api.get(
        `/v1/campaigns/${id}/invites?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(...res.body.data.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(pages).size).toBe(6);
    expect((await api.get(`/v1/campaigns/${id}`)).body.progress).toMatchObject({
      total: 6,
      pending: 6,
      sent: 0,
    });
  });

  it('when a bulk request names an address already invited, then it is a 400 and none of the request is added', async () => {
    const id = await draft(api);
    await api.post(`/v1/campaigns/${id}/invites`, { email: 'taken@example.com' });
    const res = await api.post(`/v1/campaigns/${id}/invites/bulk`, {
      recipients: [{ email: 'fresh@example.com' }, { email: 'taken@example.com' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'recipients', message: '1 already invited to this campaign' }]);
    expect((await table(id)).map((i) => i.email)).toEqual(['taken@example.com']);
  });

  it('when a CSV is imported, then good rows go in and each bad row is reported with its row number and reason', async () => {
    const id = await draft(api);
    await api.post(`/v1/campaigns/${id}/invites`, { email: 'already@example.com' });
    const csv = [
      'email,name',
      'good1@example.com,Good One',
      'has space@example.com,Spacey',
      'no-at-sign.example.com,Nope',
      'typo@example.con,Typo',
      'already@example.com,Again',
      'good2@example.com,"Two, with comma"',
      'good1@example.com,Dup',
    ].join('\n');
    const res = await api.post(`/v1/campaigns/${id}/invites/import`, csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.rejected).toEqual([
      { row: 3, email: 'has space@example.com', reason: 'contains spaces' },
      { row: 4, email: 'no-at-sign.example.com', reason: 'missing @' },
      { row: 5, email: 'typo@example.con', reason: 'domain typo: .con (did you mean .com?)' },
      { row: 6, email: 'already@example.com', reason: 'duplicate in campaign' },
      { row: 8, email: 'good1@example.com', reason: 'duplicate in file' },
    ]);
    expect((await table(id)).find((i) => i.email === 'good2@example.com')!.name).toBe('Two, with comma');

    // A repeat far from its first row (another chunk of the import), and one of an address
    // already invited: found by fingerprint while reading, confirmed against the stored rows.
    const far = await draft(api);
    await api.post(`/v1/campaigns/${far}/invites`, { email: 'already@example.com' });
    const many = Array.from({ length: 2500 }, (_, i) => `far${i}@example.com,Far ${i}`);
    many[2000] = 'far3@example.com,Again';
    many[2100] = 'already@example.com,Once';
    many[2200] = 'already@example.com,Twice';
    const farRes = await api.post(`/v1/campaigns/${far}/invites/import`, `email,name\n${many.join('\n')}`, {
      'content-type': 'text/csv',
    });
    expect(farRes.status).toBe(200);
    expect(farRes.body).toEqual({
      imported: 2497,
      rejected: [
        { row: 2002, email: 'far3@example.com', reason: 'duplicate in file' },
        { row: 2102, email: 'already@example.com', reason: 'duplicate in campaign' },
        { row: 2202, email: 'already@example.com', reason: 'duplicate in file' },
      ],
    });
    // Into an empty campaign only the maybe-repeats are looked up: the same file, less `already`.
    const empty = await draft(api);
    const emptyRes = await api.post(
      `/v1/campaigns/${empty}/invites/import`,
      `email,name\n${many.filter((line) => !line.startsWith('already@')).join('\n')}`,
      { 'content-type': 'text/csv' },
    );
    expect(emptyRes.body).toEqual({
      imported: 2497,
      rejected: [{ row: 2002, email: 'far3@example.com', reason: 'duplicate in file' }],
    });

    const wrongType = await api.request('POST', `/v1/campaigns/${id}/invites/import`, csv, {
      'content-type': 'application/json',
    });
    expect(wrongType.status).toBe(400);
    const noHeader = await api.post(`/v1/campaigns/${id}/invites/import`, 'name\nAda', {
      'content-type': 'text/csv',
    });
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.errors[0].message).toMatch(/email,name/);
  });

  it('when invites are exported, then the CSV has full URLs and no cell a spreadsheet would run as a formula', async () => {
    const id = await draft(api);
    const a = (
      await api.post(`/v1/campaigns/${id}/invites`, {
        email: 'x@example.com',
        name: '=HYPERLINK("http://evil","click")',
      })
    ).body;
    const b = (await api.post(`/v1/campaigns/${id}/invites`, { email: 'y@example.com', name: '+1 555' }))
      .body;
    await api.post(`/v1/campaigns/${id}/invites`, { email: 'z@example.com', name: '@SUM(A1)' });
    const res = await checkedFetch(`${stack.baseUrl}/v1/campaigns/${id}/invites/export?ids=${a.id},${b.id}`, {
      headers: { authorization: `Bearer ${api.key}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?invites-/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,name,email,url,status,journey,sentAt,expiresAt,order,phone');
    expect(lines).toHaveLength(3);
    const byId = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, 36), l]));
    expect(byId[a.id]).toBe(
      `${a.id},"'=HYPERLINK(""http://evil"",""click"")",x@example.com,${a.url},unused,created,,,,`,
    );
    expect(byId[b.id]).toContain(`,'+1 555,y@example.com,${b.url},`);
    for (const line of lines.slice(1))
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@]/);

    const all = await checkedFetch(`${stack.baseUrl}/v1/campaigns/${id}/invites/export`, {
      headers: { authorization: `Bearer ${api.key}` },
    });
    expect((await all.text()).trim().split('\r\n')).toHaveLength(4);
  });

  it('when invites are added to a launched campaign, then their cost is held first (402 adds nothing) and the workflow hears invitesAdded', async () => {
    const account = await stack.newAccount(100);
    const mine = account.as(account.adminKey);
    const id = await draft(mine, { costPerInviteCents: 10 }, 5);
    await mine.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(mine, id, 'active');
    expect((await mine.get('/v1/account')).body.reservedCents).toBe(50);

    expect((await mine.post(`/v1/campaigns/${id}/invites/bulk`, { count: 3 })).status).toBe(201);
    expect((await mine.get('/v1/account')).body.reservedCents).toBe(80);
    expect((await mine.get(`/v1/campaigns/${id}`)).body.reservedCents).toBe(80);

    const refused = await mine.post(`/v1/campaigns/${id}/invites/bulk`, { count: 3 });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: 'insufficient_balance',
      requiredCents: 30,
      availableCents: 20,
    });
    const csv = await mine.post(
      `/v1/campaigns/${id}/invites/import`,
      'email\na@example.com\nb@example.com\nc@example.com\n',
      { 'content-type': 'text/csv' },
    );
    expect(csv.status).toBe(402);
    expect((await mine.get(`/v1/campaigns/${id}`)).body.progress.total).toBe(8);
    expect((await mine.get('/v1/account')).body.reservedCents).toBe(80);

    const history = await eventually(async () => {
      const events = (await stack.temporal.workflow.getHandle(`campaign-${id}`).fetchHistory()).events ?? [];
      const names = events.flatMap((e) =>
        e.workflowExecutionSignaledEventAttributes
          ? [e.workflowExecutionSignaledEventAttributes.signalName]
          : [],
      );
      return names.includes('invitesAdded') ? names : undefined;
    });
    expect(history.filter((n) => n === 'invitesAdded')).toHaveLength(1);
  });

  it('when the campaign has ended, then adding invites is a 409', async () => {
    const id = await draft(api, { expiresAt: inSeconds(600) });
    await api.post(`/v1/campaigns/${id}/cancel`);
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { count: 1 })).body).toMatchObject({
      code: 'invalid_state',
      currentStatus: 'cancelled',
    });
  });

  it('when a create is retried with the same Idempotency-Key, then it happens once and the answer is replayed', async () => {
    const headers = { 'idempotency-key': `create-${Date.now()}` };
    const first = await api.post('/v1/campaigns', { name: 'Once only' }, headers);
    const second = await api.post('/v1/campaigns', { name: 'Once only' }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    const other = await api.post('/v1/campaigns', { name: 'Something else' }, headers);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('conflict');
    const named = (await api.get('/v1/campaigns?limit=500')).body.data.filter((c) => c.name === 'Once only');
    expect(named).toHaveLength(1);
  });
});
