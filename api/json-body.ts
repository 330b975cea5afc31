import express, { type RequestHandler } from 'express';
import { ValidationError } from './errors';

/** Deeper than any of the API's shapes (a sending policy is four levels) by a wide margin. */
export const MAX_BODY_DEPTH = 32;

/**
 * JSON bodies as the API reads them: at most 1 MB, nested at most `MAX_BODY_DEPTH` deep.
 * `JSON.parse` takes a megabyte of `[[[[…` in its stride, but everything after it that walks
 * the value recursively (the Idempotency-Key fingerprint, a log line) overflows the stack: a
 * 500 the fuzzer found. Such a body is refused before anything reads it.
 */
export function jsonBody(): RequestHandler {
  const parse = express.json({ limit: '1mb' });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (deeperThan(req.body, MAX_BODY_DEPTH))
        return next(
          new ValidationError([{ field: '(body)', message: `nests deeper than ${MAX_BODY_DEPTH} levels` }]),
        );
      next();
    });
}

/** Without recursion, so that the check itself cannot overflow. */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
