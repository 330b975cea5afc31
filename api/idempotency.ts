import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Database } from '../db/database';
import { newId } from '../db/ids';
import { IdempotencyKey } from '../entities/IdempotencyKey';
import { callerOf } from './auth';
import { ConflictError, ValidationError } from './errors';

/**
 * `Idempotency-Key` on POST creates: the first request with a key runs and its 2xx answer is
 * kept; a repeat gets that answer again (header `Idempotent-Replayed: true`) and does
 * nothing; the same key with a different request, or while the first is still running, is a
 * 409 conflict. A failed first attempt (4xx/5xx) keeps nothing, so it may be retried.
 */
export function idempotency(db: Database): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!/^[\x21-\x7e]{1,200}$/.test(key))
      throw new ValidationError([
        { field: 'Idempotency-Key', message: 'expected 1-200 visible ASCII characters' },
      ]);
    const { accountId } = callerOf(res);
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');

    const claim = await db.transaction(async (em) => {
      const existing = await em.findOneBy(IdempotencyKey, { accountId, idempotencyKey: key });
      if (existing) return existing;
      await em.insert(IdempotencyKey, {
        id: newId(),
        accountId,
        idempotencyKey: key,
        requestHash,
        statusCode: 0,
        responseBody: '',
        createdAt: new Date(),
      });
      return null;
    });
    if (claim) {
      if (claim.requestHash !== requestHash)
        throw new ConflictError('This Idempotency-Key was already used with a different request');
      if (claim.statusCode === 0)
        throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly');
      res.status(claim.statusCode).set('Idempotent-Replayed', 'true').type('json').send(claim.responseBody);
      return;
    }

    // The answer is stored before it is sent: a client that retries the moment it has it
    // must find it, not the "in progress" claim.
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      if (res.statusCode < 200 || res.statusCode >= 300) return json(value);
      db.transaction((em) =>
        em.update(
          IdempotencyKey,
          { accountId, idempotencyKey: key },
          { statusCode: res.statusCode, responseBody: JSON.stringify(value) },
        ),
      )
        .catch((err: unknown) => console.error('idempotency: could not record the answer', err))
        .finally(() => json(value));
      return res;
    };
    // Anything but a success keeps nothing, so the request may be retried.
    res.once('finish', () => {
      if (res.statusCode >= 200 && res.statusCode < 300) return;
      void db
        .transaction((em) => em.delete(IdempotencyKey, { accountId, idempotencyKey: key, statusCode: 0 }))
        .catch((err: unknown) => console.error('idempotency: could not release the key', err));
    });
    next();
  };
}
