import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Database } from '../db/database';
import { ApiKey, type ApiKeyRole } from '../entities/ApiKey';
import { ForbiddenError, UnauthorizedError } from './errors';
import { log } from '../ops/log';

export interface Caller {
  accountId: string;
  keyId: string;
  role: ApiKeyRole;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** `lastUsedAt` is this fresh at worst: one write a minute per key, not one per request. */
const LAST_USED_PRECISION_MS = 60_000;

/**
 * Bearer auth: the key's hash finds the key, and the key's account scopes everything after.
 * The row is read on every request, never cached, so a revocation holds at once on every
 * API process.
 */
export function authenticate(db: Database): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match) throw new UnauthorizedError('Send `Authorization: Bearer <api key>`');
    const key = await db.manager.findOneBy(ApiKey, { keyHash: hashApiKey(match[1]) });
    if (!key || key.revokedAt) throw new UnauthorizedError('The API key is not valid');
    const now = new Date();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
      // Conditional, so concurrent requests of one key write once; a failure costs only the
      // timestamp, never the request.
      await db
        .transaction((em) =>
          em
            .createQueryBuilder()
            .update(ApiKey)
            .set({ lastUsedAt: now })
            .where('id = :id', { id: key.id })
            .andWhere('(lastUsedAt IS NULL OR lastUsedAt < :stale)', {
              stale: new Date(now.getTime() - LAST_USED_PRECISION_MS),
            })
            .execute(),
        )
        .catch((error: unknown) => log.error('auth: could not record when the key was last used', { error }));
    }
    res.locals.caller = { accountId: key.accountId, keyId: key.id, role: key.role } satisfies Caller;
    next();
  };
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new UnauthorizedError('Not authenticated');
  return caller;
}

/** `support` keys may read, pause, resume, resend, reset and copy links; everything else is admin. */
export const adminOnly: RequestHandler = (_req, res, next) => {
  if (callerOf(res).role !== 'admin') throw new ForbiddenError('This needs an admin API key');
  next();
};
