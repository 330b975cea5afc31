import { randomBytes } from 'node:crypto';

/** An unguessable url-safe secret: 256 random bits. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

const TOKEN_BYTES = 24;
/** Random bytes for 1,024 tokens at a time: a call per token costs a large import far more CPU. */
let pool = Buffer.alloc(0);
let next = 0;

/** A recipient's private link token: 192 random bits, url-safe (32 characters), never reused. */
export function newInviteToken(): string {
  if (next + TOKEN_BYTES > pool.length) {
    pool = randomBytes(TOKEN_BYTES * 1024);
    next = 0;
  }
  const token = pool.toString('base64url', next, next + TOKEN_BYTES);
  next += TOKEN_BYTES;
  return token;
}
