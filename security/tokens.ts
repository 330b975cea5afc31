import { randomBytes } from 'node:crypto';

/** An unguessable url-safe secret: 256 random bits. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** A recipient's private link token: 192 random bits, url-safe (32 characters). */
export const newInviteToken = (): string => randomBytes(24).toString('base64url');
