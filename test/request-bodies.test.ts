import { gzipSync } from 'node:zlib';
import { checkResponse } from './support/openapi-check';
import { useAccount, useStack } from './support/stack';

/** Bodies that cannot be read are the caller's mistake: a clear 4xx problem, never a 500. */
describe('Request bodies that cannot be read', () => {
  const stack = useStack({ worker: false });
  const account = useAccount(stack);
  const admin = account.api;

  /** A raw POST, so the body bytes and headers are exactly what a client sent; its answer is checked against openapi.json like any other. */
  async function postRaw(path: string, body: Buffer | string, headers: Record<string, string>) {
    const res = await fetch(stack.baseUrl + path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${account.adminKey}`,
        'content-type': 'application/json',
        ...headers,
      },
      body,
    });
    const text = await res.text();
    checkResponse({
      method: 'POST',
      path,
      status: res.status,
      contentType: res.headers.get('content-type'),
      text,
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: JSON.parse(text) };
  }

  const campaignNames = async () =>
    ((await admin.get('/v1/campaigns')).body.data as Array<{ name: string }>).map((c) => c.name);

  it('when a body says Content-Encoding: gzip but is plain JSON, then 400 problem+json says it could not be decompressed, and nothing is created', async () => {
    const res = await postRaw('/v1/campaigns', JSON.stringify({ name: 'Not really gzip' }), {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(res.body.detail).toMatch(/Content-Encoding: gzip/);
    expect(res.body.detail).toMatch(/could not be decompressed/);
    expect(await campaignNames()).not.toContain('Not really gzip');
  });

  it('when a body really is gzip-compressed JSON, then it is read as usual', async () => {
    const res = await postRaw('/v1/campaigns', gzipSync(JSON.stringify({ name: 'Truly gzip' })), {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Truly gzip');
  });

  it('when a body uses an encoding the API does not decode, then 415 problem+json names the encoding and the ones it accepts', async () => {
    const res = await postRaw('/v1/campaigns', JSON.stringify({ name: 'Compressed oddly' }), {
      'content-encoding': 'compress',
    });
    expect(res.status).toBe(415);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 415, code: 'unsupported_encoding' });
    expect(res.body.detail).toMatch(/"compress"/);
    expect(res.body.detail).toMatch(/gzip/);
    expect(await campaignNames()).not.toContain('Compressed oddly');
  });

  it('when a body nests arrays 100,000 deep (with an Idempotency-Key, which fingerprints it), then 400 names the body, and nothing is created', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const path of ['/v1/campaigns', '/v1/api-keys']) {
      const res = await postRaw(path, deep, { 'idempotency-key': `deep-${path}` });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
      expect(res.body.errors).toEqual([{ field: '(body)', message: 'nests deeper than 32 levels' }]);
    }
    // As deep as any real shape goes, and more: still read.
    const fine = await postRaw('/v1/campaigns', JSON.stringify({ name: 'Nested', description: 'x' }), {});
    expect(fine.status).toBe(201);
  });

  it('when a JSON body is over the 1 MiB limit, then 413 problem+json says the limit, and nothing is created', async () => {
    const description = 'x'.repeat(1024 * 1024 + 10);
    const res = await postRaw('/v1/campaigns', JSON.stringify({ name: 'Too big', description }), {});
    expect(res.status).toBe(413);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, code: 'payload_too_large', limitBytes: 1024 * 1024 });
    expect(res.body.detail).toMatch(/limit is 1048576 bytes \(1 MiB\)/);
    expect(await campaignNames()).not.toContain('Too big');
  });

  it('when a compressed body inflates past the limit, then 413 as well (the limit applies to what is decoded)', async () => {
    const description = 'x'.repeat(2 * 1024 * 1024);
    const res = await postRaw('/v1/campaigns', gzipSync(JSON.stringify({ name: 'Zip bomb', description })), {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('when a body is not JSON at all, then 400 problem+json says so (as before)', async () => {
    const res = await postRaw('/v1/campaigns', '{"name": ', {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(res.body.errors).toEqual([{ field: '(body)', message: 'the body is not valid JSON' }]);
  });

  it('when a body declares a charset the API cannot read, then 415 problem+json names it', async () => {
    const res = await postRaw('/v1/campaigns', JSON.stringify({ name: 'Odd charset' }), {
      'content-type': 'application/json; charset=klingon',
    });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ status: 415, code: 'unsupported_charset' });
    expect(res.body.detail).toMatch(/KLINGON/i);
  });

  it('when a write without a documented body (a launch) sends one the API cannot read, then its 413 and 415 are documented answers too', async () => {
    const launch = `/v1/campaigns/${(await admin.post('/v1/campaigns', { name: 'Bodyless' })).body.id}/launch`;
    const odd = await postRaw(launch, '{}', { 'content-type': 'application/json; charset=klingon' });
    expect(odd.body).toMatchObject({ status: 415, code: 'unsupported_charset' });
    const big = await postRaw(launch, JSON.stringify({ x: 'x'.repeat(1024 * 1024 + 10) }), {});
    expect(big.body).toMatchObject({ status: 413, code: 'payload_too_large' });
  });
});
