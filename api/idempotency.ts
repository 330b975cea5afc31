import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Database } from '../db/database';
import { newId } from '../db/ids';
import { IdempotencyKey } from '../entities/IdempotencyKey';
import { callerOf } from './auth';
import { ConflictError, ValidationError } from './errors';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MESSAGE } from './schemas';
import { log } from '../ops/log';

/** How long a repeat waits for the first request to finish before it answers "in progress". */
const WAIT_FOR_FIRST_MS = 3_000;
const POLL_MS = 50;
/** No request runs this long (workflow updates time out well before): its claim was abandoned. */
export const ABANDONED_AFTER_MS = 5 * 60_000;
/** A stored 409 is not an answer to replay: it means the answer held a secret (see `answeredOnce`). */
const SHOWN_ONCE = 409;

/**
 * `Idempotency-Key` on POST creates: the first request with a key runs and its 2xx answer is
 * kept; a repeat gets that answer again (header `Idempotent-Replayed: true`) and does
 * nothing; the same key with a different request is a 409 conflict. A repeat that arrives
 * while the first is still running waits a little for its answer, then gets a 409 with
 * `Retry-After`. A failed first attempt (4xx/5xx) keeps nothing, so it may be retried; a claim
 * whose process died mid-request is taken over after `ABANDONED_AFTER_MS`.
 */
export function idempotency(db: Database): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!IDEMPOTENCY_KEY.test(key))
      throw new ValidationError([{ field: 'Idempotency-Key', message: IDEMPOTENCY_KEY_MESSAGE }]);
    const { accountId } = callerOf(res);
    const requestHash = requestHashOf(req.method, req.originalUrl, req.body);

    const previous = await claimOrAwait(db, accountId, key, requestHash);
    if (previous) {
      if (previous.requestHash !== requestHash)
        throw new ConflictError('This Idempotency-Key was already used with a different request');
      if (previous.statusCode === 0) {
        res.set('Retry-After', '1');
        throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly');
      }
      if (previous.statusCode === SHOWN_ONCE)
        throw new ConflictError((JSON.parse(previous.responseBody) as { detail: string }).detail);
      res
        .status(previous.statusCode)
        .set('Idempotent-Replayed', 'true')
        .type('json')
        .send(previous.responseBody);
      return;
    }

    // The answer is stored before it is sent: a client that retries the moment it has it
    // must find it, not the "in progress" claim.
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      if (res.statusCode < 200 || res.statusCode >= 300) return json(value);
      const once = res.locals.answeredOnce as string | undefined;
      const stored =
        once === undefined
          ? { statusCode: res.statusCode, responseBody: JSON.stringify(value) }
          : { statusCode: SHOWN_ONCE, responseBody: JSON.stringify({ detail: once }) };
      db.transaction((em) => em.update(IdempotencyKey, { accountId, idempotencyKey: key }, stored))
        .catch((error: unknown) => log.error('idempotency: could not record the answer', { error }))
        .finally(() => json(value));
      return res;
    };
    // Anything but a success keeps nothing, so the request may be retried.
    res.once('finish', () => {
      if (res.statusCode >= 200 && res.statusCode < 300) return;
      void db
        .transaction((em) => em.delete(IdempotencyKey, { accountId, idempotencyKey: key, statusCode: 0 }))
        .catch((error: unknown) => log.error('idempotency: could not release the key', { error }));
    });
    next();
  };
}

/** What makes two requests "the same" for a key: method, URL and body. */
export const requestHashOf = (method: string, url: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');

/**
 * For an answer that carries a secret (a new API key): the secret is never stored, and a
 * replay is a 409 conflict with `detail` instead, saying the secret was shown once.
 */
export function answeredOnce(res: Response, detail: string): void {
  res.locals.answeredOnce = detail;
}

/**
 * Claims the key (null: this request runs), or returns the row of the request that holds it,
 * after waiting a little for that one to finish. The unique index decides the race: the
 * insert either wins or fails, so concurrent requests never both run.
 */
async function claimOrAwait(
  db: Database,
  accountId: string,
  key: string,
  requestHash: string,
): Promise<IdempotencyKey | null> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    try {
      await db.transaction((em) =>
        em.insert(IdempotencyKey, {
          id: newId(),
          accountId,
          idempotencyKey: key,
          requestHash,
          statusCode: 0,
          responseBody: '',
          createdAt: new Date(),
        }),
      );
      return null;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const existing = await db.manager.findOneBy(IdempotencyKey, { accountId, idempotencyKey: key });
    // Gone: the first attempt failed and let go of the key, so this one may run.
    if (!existing) continue;
    // Still "in progress" long after any request ends: its process died before answering.
    // Take the key over (one taker: the delete names that claim), or it stays stuck for good;
    // a client would otherwise have to pick a new key, which repeats the request just the same.
    if (existing.statusCode === 0 && Date.now() - existing.createdAt.getTime() > ABANDONED_AFTER_MS) {
      await db.transaction((em) => em.delete(IdempotencyKey, { id: existing.id, statusCode: 0 }));
      continue;
    }
    const settled = existing.statusCode !== 0 || existing.requestHash !== requestHash;
    if (settled || Date.now() >= deadline) return existing;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code ?? '';
  return (
    code === 'ER_DUP_ENTRY' ||
    code.startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
