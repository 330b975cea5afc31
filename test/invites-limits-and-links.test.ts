import { Readable } from 'node:stream';
import { RateLimiter } from '../api/rate-limit';
import { loadConfig } from '../config/config';
import { Contact } from '../entities/Contact';
import { Invite } from '../entities/Invite';
import { draft, untilStatus } from './support/campaigns';
import { allInvites, draftWithRecipients } from './support/delivery';
import { useAccount, useStack } from './support/stack';

/** What every way in says about `x@example.con` (recipients/email-address.ts, the one validator). */
const CON_TYPO = 'domain typo: .con (did you mean .com?)';
/**
 * The import limits this file's API runs with (IMPORT_MAX_ROWS, IMPORT_MAX_BYTES): the same
 * code as production's million rows and 160 MiB (config/config.ts), seen without reading a
 * million rows (`npm run bench -- million` imports a million).
 */
const MAX_IMPORT_ROWS = 3000;
const MAX_IMPORT_BYTES = 1024 * 1024;

describe('Invites: import and export limits, one address check, reset links and exact tokens', () => {
  // Generous page limits: the token test asks for a few unknown tokens on purpose.
  const stack = useStack({
    env: { IMPORT_MAX_ROWS: String(MAX_IMPORT_ROWS), IMPORT_MAX_BYTES: String(MAX_IMPORT_BYTES) },
    pageLimits: { requests: new RateLimiter(1000, 100), misses: new RateLimiter(1000, 100) },
  });
  const account = useAccount(stack, 1_000_000);
  const api = account.api;

  const importCsv = (id: string, body: string | Buffer | Readable) =>
    fetch(`${stack.baseUrl}/v1/campaigns/${id}/invites/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'text/csv' },
      body: body instanceof Readable ? (Readable.toWeb(body) as ReadableStream) : body,
      ...(body instanceof Readable ? { duplex: 'half' } : {}),
    });
  const total = async (id: string) => (await api.get(`/v1/campaigns/${id}`)).body.progress.total;

  it('when nothing is configured, then an import takes up to a million rows and 160 MiB', () => {
    expect(loadConfig({}).imports).toEqual({ maxRows: 1_000_000, maxBytes: 160 * 1024 * 1024 });
  });

  it('when a CSV has more rows than the limit, then it is refused naming the limit, nothing is imported, and a retry within the limit imports every row', async () => {
    const id = await draft(api);
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `p${i}@example.com`);
    const res = await importCsv(id, `email\n${rows.join('\n')}\n`);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { detail: string };
    expect(problem).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(problem.detail).toContain(`${MAX_IMPORT_ROWS} rows`);
    expect(await total(id)).toBe(0);

    // Exactly the limit is within it.
    const retry = await importCsv(id, `email\n${rows.slice(0, MAX_IMPORT_ROWS).join('\n')}\n`);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ imported: MAX_IMPORT_ROWS, rejected: [] });
    expect(await total(id)).toBe(MAX_IMPORT_ROWS);
  });

  it('when a CSV body is over the byte limit, sized or streamed, then it is a 413 problem and nothing is imported', async () => {
    const id = await draft(api);
    // 2,000 good rows first (the old import had committed them before noticing), then padding.
    const good = `email,name,notes\n${Array.from({ length: 2000 }, (_, i) => `b${i}@example.com,B${i},`).join('\n')}\n`;
    const pad = `pad@example.com,Pad,${'x'.repeat(100_000)}\n`;
    const padRows = Math.ceil((MAX_IMPORT_BYTES - good.length) / pad.length) + 1;

    const sized = Buffer.from(good + pad.repeat(padRows));
    expect(sized.length).toBeGreaterThan(MAX_IMPORT_BYTES);
    const one = await importCsv(id, sized);
    expect(one.status).toBe(413);
    expect(await one.json()).toMatchObject({ status: 413, code: 'payload_too_large' });

    const streamed = await importCsv(
      id,
      Readable.from(
        (function* () {
          yield good;
          for (let i = 0; i < padRows; i++) yield pad;
        })(),
      ),
    );
    expect(streamed.status).toBe(413);
    const problem = (await streamed.json()) as { detail: string };
    expect(problem.detail).toContain(`${MAX_IMPORT_BYTES} bytes`);
    expect(await total(id)).toBe(0);
  });

  it('when more invites are exported than a URL can hold, then POST …/export takes their ids in the body and answers the same formula-safe CSV, and GET names its limit in a problem', async () => {
    const id = await draft(api);
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { count: 2000 })).status).toBe(201);
    const formula = (await api.post(`/v1/campaigns/${id}/invites`, { email: 'f@example.com', name: '=1+1' }))
      .body;
    const ids = (await allInvites(api, id)).map((i) => i.id);
    expect(ids).toHaveLength(2001);

    const res = await fetch(`${stack.baseUrl}/v1/campaigns/${id}/invites/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?invites-/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,name,email,url,status,journey,sentAt,expiresAt,order,phone');
    expect(new Set(lines.slice(1).map((l) => l.slice(0, 36)))).toEqual(new Set(ids));
    expect(lines.find((l) => l.startsWith(formula.id))).toBe(
      `${formula.id},'=1+1,f@example.com,${formula.url},unused,created,,,,`,
    );

    const some = await fetch(`${stack.baseUrl}/v1/campaigns/${id}/invites/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ids.slice(0, 2) }),
    });
    expect((await some.text()).trim().split('\r\n')).toHaveLength(3);

    const tooManyInQuery = await api.get(
      `/v1/campaigns/${id}/invites/export?ids=${ids.slice(0, 301).join(',')}`,
    );
    expect(tooManyInQuery.status).toBe(400);
    expect(tooManyInQuery.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(tooManyInQuery.body.errors).toEqual([
      {
        field: 'ids',
        message: `at most 300 ids in the query; for more, POST /v1/campaigns/${id}/invites/export with {"ids": [...]} (up to 10000)`,
      },
    ]);
    const tooManyInBody = await api.post(`/v1/campaigns/${id}/invites/export`, {
      ids: Array.from({ length: 10_001 }, () => ids[0]),
    });
    expect(tooManyInBody.status).toBe(400);
    expect(tooManyInBody.body.errors[0].field).toBe('ids');
    const notIds = await api.post(`/v1/campaigns/${id}/invites/export`, { ids: ['nope'] });
    expect(notIds.status).toBe(400);
    // 2,000 ids in a URL are refused by Node before Express: still a problem that says what to do.
    const overflow = await fetch(`${stack.baseUrl}/v1/campaigns/${id}/invites/export?ids=${ids.join(',')}`, {
      headers: { authorization: `Bearer ${api.key}` },
    });
    expect(overflow.status).toBe(431);
    expect(overflow.headers.get('content-type')).toBe('application/problem+json');
    expect(await overflow.json()).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('when Copy link is asked for a reset invite, then it is a 410 naming the replacement and its link, never the dead link', async () => {
    const { id } = await draftWithRecipients(api, 1, {});
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [first] = await allInvites(api, id);
    const second = (await api.post(`/v1/invites/${first.id}/reset`)).body;
    expect(second.id).not.toBe(first.id);

    const copy = await api.get(`/v1/invites/${first.id}/link`);
    expect(copy.status).toBe(410);
    expect(copy.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(copy.body).toMatchObject({
      status: 410,
      code: 'invite_reset',
      replacementId: second.id,
      replacementUrl: second.url,
    });
    expect(JSON.stringify(copy.body)).not.toContain(first.url);

    // Reset again: the first invite's answer names the invite that is live now.
    const third = (await api.post(`/v1/invites/${second.id}/reset`)).body;
    const again = await api.get(`/v1/invites/${first.id}/link`);
    expect(again.body).toMatchObject({ replacementId: third.id, replacementUrl: third.url });
    expect((await api.get(`/v1/invites/${third.id}/link`)).body).toEqual({ url: third.url });
  });

  it('when x@example.con comes in by any way, then each refuses it with the same reason', async () => {
    const id = await draft(api);
    const one = await api.post(`/v1/campaigns/${id}/invites`, { email: 'x@example.con' });
    expect(one.status).toBe(400);
    expect(one.body.errors).toEqual([{ field: 'email', message: CON_TYPO }]);

    const bulk = await api.post(`/v1/campaigns/${id}/invites/bulk`, {
      recipients: [{ email: 'ok@example.com' }, { email: 'x@example.con' }],
    });
    expect(bulk.status).toBe(400);
    expect(bulk.body.errors).toEqual([{ field: 'recipients.1.email', message: CON_TYPO }]);

    const csv = await importCsv(id, 'email\nx@example.con\n');
    expect(await csv.json()).toEqual({
      imported: 0,
      rejected: [{ row: 2, email: 'x@example.con', reason: CON_TYPO }],
    });

    const contact = await api.post('/v1/contacts', { email: 'x@example.con' });
    expect(contact.status).toBe(400);
    expect(contact.body.errors).toEqual([{ field: 'email', message: CON_TYPO }]);

    // A contact saved before the check existed is refused on its way into a campaign.
    const legacy = {
      id: crypto.randomUUID(),
      accountId: account.accountId,
      email: 'x@example.con',
      name: null,
      createdAt: new Date(),
    };
    await stack.db.transaction((em) => em.insert(Contact, legacy));
    const fromContacts = await api.post(`/v1/campaigns/${id}/invites/from-contacts`, {
      contactIds: [legacy.id],
    });
    expect(fromContacts.status).toBe(400);
    expect(fromContacts.body.errors).toEqual([{ field: `contacts.${legacy.id}.email`, message: CON_TYPO }]);

    const sender = await api.put('/v1/account/email-provider', {
      postmarkServerToken: 'token-123456',
      fromEmail: 'x@example.con',
    });
    expect(sender.status).toBe(400);
    expect(sender.body.errors).toEqual([{ field: 'fromEmail', message: CON_TYPO }]);

    expect(await total(id)).toBe(0);
  });

  it('when a token differs only in case or by a trailing space, then the page and the start and complete actions answer 404 and the invite does not move', async () => {
    const id = await draft(api, {}, 1);
    await api.post(`/v1/campaigns/${id}/launch`);
    await untilStatus(api, id, 'active');
    const [invite] = await allInvites(api, id);
    const before = await stack.db.manager.findOneByOrFail(Invite, { id: invite.id });
    const token = new URL(invite.url).pathname.split('/').pop()!;
    const flipped = [...token]
      .map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))
      .join('');
    expect(flipped).not.toBe(token);

    const page = (path: string, method = 'GET') =>
      fetch(`${stack.baseUrl}${path}`, { method, redirect: 'manual' }).then((r) => r.status);
    for (const wrong of [
      flipped,
      token.toUpperCase(),
      token.toLowerCase(),
      `${token}%20`,
      `${token}%20%20`,
    ]) {
      expect([wrong, await page(`/i/${wrong}`)]).toEqual([wrong, 404]);
      expect([wrong, await page(`/i/${wrong}/start`, 'POST')]).toEqual([wrong, 404]);
      expect([wrong, await page(`/i/${wrong}/complete`, 'POST')]).toEqual([wrong, 404]);
    }
    const stored = await stack.db.manager.findOneByOrFail(Invite, { id: invite.id });
    expect(stored).toMatchObject({ journey: before.journey, status: 'unused', orderRef: null });
    expect(await page(`/i/${token}`)).toBe(200);
  });
});
