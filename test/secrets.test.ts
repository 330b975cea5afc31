import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../config/config';
import { SecretBox } from '../security/secrets';
import { newInviteToken } from '../security/tokens';

describe('Stored credentials are sealed, not kept in clear', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-secrets-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('when a token is sealed, then the stored text does not contain it, opens back to it, and any tampering is refused', () => {
    const box = SecretBox.fromConfig({ secretKey: 'ab'.repeat(32), dataDir });
    const sealed = box.seal('server-token-1234');
    expect(sealed).not.toContain('server-token');
    expect(box.seal('server-token-1234')).not.toBe(sealed); // a fresh IV every time
    expect(box.open(sealed)).toBe('server-token-1234');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('forged').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => SecretBox.fromConfig({ secretKey: 'cd'.repeat(32), dataDir }).open(sealed)).toThrow();
  });

  it('without SECRET_KEY, then a key is made once in DATA_DIR, owner-only, and reused', () => {
    const first = SecretBox.fromConfig({ dataDir });
    const keyFile = path.join(dataDir, 'secret.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(SecretBox.fromConfig({ dataDir }).open(first.seal('x'))).toBe('x');
  });

  it('when several processes start at once on a fresh DATA_DIR, then all of them seal with the one key kept there', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-secrets-race-'));
    try {
      // Each child loads the module, then spins until the shared start instant: they race for real.
      const script = `const { SecretBox } = require(${JSON.stringify(path.join(__dirname, '..', 'security', 'secrets.ts'))});
        const start = Number(process.argv[2]); while (Date.now() < start) {}
        process.stdout.write(SecretBox.fromConfig({ dataDir: process.argv[1] }).seal('token'));`;
      const start = String(Date.now() + 2500);
      const sealed = await Promise.all(
        Array.from({ length: 8 }, () =>
          promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script, fresh, start]).then(
            (r) => r.stdout,
          ),
        ),
      );
      const box = SecretBox.fromConfig({ dataDir: fresh });
      for (const s of sealed) expect(box.open(s)).toBe('token');
      expect(fs.readdirSync(fresh)).toEqual(['secret.key']); // nothing left aside
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('when SECRET_KEY is malformed, then start-up stops naming it, without echoing it', () => {
    expect(() => loadConfig({ SECRET_KEY: 'not-hex' })).toThrow(
      /^Invalid configuration: SECRET_KEY: expected 64 hex characters \(32 random bytes\), e\.g\. from `openssl rand -hex 32`$/,
    );
  });
});

describe('Private link tokens', () => {
  it('when 5,000 are made (the random pool refilled four times over), then each is 192 bits as 32 url-safe characters and none repeats', () => {
    const tokens = Array.from({ length: 5000 }, () => newInviteToken());
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(5000);
  });
});
