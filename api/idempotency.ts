import type { Request, RequestHandler, Response } from 'express';
import { LessThan } from 'typeorm';
import type { Database } from '../db/database';
import { newId } from '../db/ids';
import { IdempotencyKey } from '../entities/IdempotencyKey';
import type { SecretBox } from '../security/secrets';
import { callerOf } from './auth';
import { ConflictError, ValidationError } from './errors';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MESSAGE } from './schemas';
import { log } from '../ops/log';

/** How long a repeat waits for the first request to finish before it answers "in progress". */
const WAIT_FOR_FIRST_MS = 3_000;
const POLL_MS = 50;
/** No request runs this long (workflow updates time out well before): its claim was abandoned. */
export const ABANDONED_AFTER_MS = 5 * 60_000;
/**
 * How long an answer is kept for replays. A client retries within minutes; a day covers a retry
 * queue drained the next morning, and keeps what the table holds about an account short-lived.
 */
export const KEPT_FOR_MS = 24 * 60 * 60_000;
/** Expired answers are deleted in the background, at most this often per API process. */
const SWEEP_EVERY_MS = 60_000;
/** A stored 409 is not an answer to replay: it means the answer held a secret (see `answeredOnce`). */
const SHOWN_ONCE = 409;
/** Top-level fields of an answer that are secrets shown once (an API key, a webhook signing secret). */
const SECRET_FIELDS = ['key', 'secret'];

interface Pending {
  key: string;
  requestHash: string;
}
/** Where the first step leaves the second for the route (`res.locals`). */
const STEP = 'idempotencyStep';

/**
 * `Idempotency-Key` on POST creates: the first request with a key runs and its 2xx answer is
 * kept for a day; a repeat gets that answer again (header `Idempotent-Replayed: true`) and does
 * nothing; the same key with a different request is a 409 conflict. A repeat that arrives
 * while the first is still running waits a little for its answer, then gets a 409 with
 * `Retry-After`. A failed first attempt (4xx/5xx) keeps nothing, so it may be retried; a claim
 * whose process died mid-request is taken over after `ABANDONED_AFTER_MS`.
 *
 * Two steps, so that a replay never answers a caller the route would refuse: this middleware
 * (before the routes) only reads the header and fingerprints the request; the claim or the
 * replay happens in `idempotencyStep`, which `Routes` (api/route.ts) places after each POST route's own
 * authorization. A replay is the route's answer, so it is given only to whom the route would
 * answer.
 */
export function idempotency(db: Database, secrets: SecretBox): RequestHandler {
  let sweptAt = 0;
  const sweep = () => {
    if (Date.now() - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = Date.now();
    void db
      .transaction((em) =>
        em.delete(IdempotencyKey, { createdAt: LessThan(new Date(Date.now() - KEPT_FOR_MS)) }),
      )
      .catch((error: unknown) => log.error('idempotency: could not delete expired answers', { error }));
  };
  return (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!IDEMPOTENCY_KEY.test(key))
      throw new ValidationError([{ field: 'Idempotency-Key', message: IDEMPOTENCY_KEY_MESSAGE }]);
    const pending: Pending = { key, requestHash: requestHashOf(secrets, req) };
    res.locals[STEP] = (async (_req, res, next) => {
      sweep();
      await replayOrRun(db, pending, res, next);
    }) satisfies RequestHandler;
    // A POST route declared without api/route.ts would take the key and silently not honour it.
    res.once('finish', () => {
      if (res.locals[STEP] && res.statusCode < 300)
        log.error(
          'idempotency: a POST route answered without its Idempotency-Key step (declare it with api/route.ts)',
          {
            path: req.originalUrl.split('?')[0],
          },
        );
    });
    next();
  };
}

/** The claim-or-replay step for the route that answers this request (see `Routes` in api/route.ts). */
export const idempotencyStep: RequestHandler = (req, res, next) => {
  const step = res.locals[STEP] as RequestHandler | undefined;
  if (!step) return next();
  delete res.locals[STEP];
  return step(req, res, next);
};

async function replayOrRun(
  db: Database,
  { key, requestHash }: Pending,
  res: Response,
  next: () => void,
): Promise<void> {
  const { accountId } = callerOf(res);
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
    const stored = storedAnswer(res, value);
    db.transaction((em) => em.update(IdempotencyKey, { accountId, idempotencyKey: key }, stored))
      .catch((error: unknown) => log.error('idempotency: could not record the answer', { error }))
      .finally(() => json(value));
    return res;
  };
  // Anything but a success keeps nothing, so the request may be retried; and the key is let go
  // before the refusal is sent, so that a refusal has changed nothing by the time it is read
  // (the fuzzer saw the claim still there after a 400 on MariaDB).
  const release = () =>
    db
      .transaction((em) => em.delete(IdempotencyKey, { accountId, idempotencyKey: key, statusCode: 0 }))
      .catch((error: unknown) => log.error('idempotency: could not release the key', { error }));
  const send = res.send.bind(res);
  let released = false;
  res.send = (body?: unknown) => {
    if (released || (res.statusCode >= 200 && res.statusCode < 300)) return send(body);
    released = true;
    void release().finally(() => send(body));
    return res;
  };
  // An answer that never reached send (the connection dropped, a stream failed).
  res.once('finish', () => {
    if (released || (res.statusCode >= 200 && res.statusCode < 300)) return;
    void release();
  });
  next();
}

/**
 * What is kept of a success: the answer itself, or, when it carries a secret, only a 409 that
 * names what was created. A secret is never written to the table, even by a route that forgot
 * to say so: such an answer is kept as "shown once" all the same, and logged for the developer.
 */
function storedAnswer(res: Response, value: unknown): Pick<IdempotencyKey, 'statusCode' | 'responseBody'> {
  let once = res.locals.answeredOnce as string | undefined;
  if (once === undefined && carriesSecret(value)) {
    log.error('idempotency: an answer carrying a secret was not declared with answeredOnce; not stored', {
      route: res.req.route?.path,
    });
    once = 'The answer to this request carried a secret, shown once and not kept: it cannot be replayed';
  }
  return once === undefined
    ? { statusCode: res.statusCode, responseBody: JSON.stringify(value) }
    : { statusCode: SHOWN_ONCE, responseBody: JSON.stringify({ detail: once }) };
}

const carriesSecret = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  SECRET_FIELDS.some((field) => typeof (value as Record<string, unknown>)[field] === 'string');

/**
 * What makes two requests "the same" for a key: method, URL and body, as a keyed digest
 * (SECRET_KEY): the table never lets anyone confirm a guess of what a request held.
 */
export const requestHashOf = (
  secrets: SecretBox,
  { method, originalUrl, body }: Pick<Request, 'method' | 'originalUrl' | 'body'>,
): string => secrets.fingerprint(`idempotency\n${method} ${originalUrl}\n${JSON.stringify(body ?? null)}`);

/**
 * For an answer that carries a secret (a new API key, a webhook endpoint's signing secret):
 * the secret is never stored, and a replay is a 409 conflict with `detail` instead, which
 * should name what was created so a lost secret can be revoked or replaced.
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
    const age = Date.now() - existing.createdAt.getTime();
    // Expired (the sweep has not reached it yet): the key is free again. One taker: the delete
    // names that row.
    if (age > KEPT_FOR_MS) {
      await db.transaction((em) => em.delete(IdempotencyKey, { id: existing.id }));
      continue;
    }
    // Still "in progress" long after any request ends: its process died before answering.
    // Take the key over, or it stays stuck for good; a client would otherwise have to pick a
    // new key, which repeats the request just the same.
    if (existing.statusCode === 0 && age > ABANDONED_AFTER_MS) {
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
