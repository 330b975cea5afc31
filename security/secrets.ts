import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/config';

/**
 * Credentials Herald must use (an account's Postmark token) cannot be hashed like API keys;
 * they are sealed with AES-256-GCM under SECRET_KEY. Without SECRET_KEY (development), a
 * key is made once and kept in DATA_DIR/secret.key, readable by its owner only.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromConfig(config: Pick<Config, 'secretKey' | 'dataDir'>): SecretBox {
    if (config.secretKey) return new SecretBox(Buffer.from(config.secretKey, 'hex'));
    const file = path.join(config.dataDir, 'secret.key');
    fs.mkdirSync(config.dataDir, { recursive: true });
    // Written aside, then linked into place: the API and the worker start together on one
    // DATA_DIR, and neither may read the file half-written. The first link wins.
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(aside, randomBytes(32).toString('hex'), { mode: 0o600 });
    try {
      fs.linkSync(aside, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(aside);
    }
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length !== 32)
      throw new Error(
        `${file} does not hold a 64-hex-digit key: delete it (tokens sealed with it are lost) or set SECRET_KEY`,
      );
    return new SecretBox(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      sealed.toString('base64url'),
    ].join('.');
  }

  /**
   * A keyed one-way digest (HMAC-SHA-256 under a key derived from this one): recognises a
   * value again without keeping it, and without the key a guess cannot be checked.
   */
  fingerprint(text: string): string {
    const subkey = createHmac('sha256', this.key).update('herald:fingerprint:v1').digest();
    return createHmac('sha256', subkey).update(text, 'utf8').digest('hex');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1') throw new Error('unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
