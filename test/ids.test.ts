import { newId } from '../db/ids';
import { newInviteToken, newSecret } from '../security/tokens';

describe('Identifiers and secrets', () => {
  it('when many ids are made in the same millisecond, then they are distinct, valid UUIDv7 and strictly increasing', () => {
    const now = Date.now();
    const ids = Array.from({ length: 10_000 }, () => newId(now));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId(now + 1) > ids.at(-1)!).toBe(true);
  });

  it('makes keys and tokens from at least 128 random bits, url-safe', () => {
    expect(newSecret('hk_')).toMatch(/^hk_[A-Za-z0-9_-]{43}$/); // 256 bits
    const tokens = new Set(Array.from({ length: 1000 }, newInviteToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
  });
});
