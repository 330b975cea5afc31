import * as querystring from 'node:querystring';
import { ValidationError } from './errors';

/**
 * The app's query parser: Express's "simple" one (node:querystring), except that a query it
 * would quietly read with U+FFFD is refused. Express calls it when a route reads `req.query`,
 * which is after authentication, so an anonymous request still learns only 401.
 */
export function parseQuery(raw: string): querystring.ParsedUrlQuery {
  try {
    decodeURIComponent(raw);
  } catch {
    throw malformedUrlError('query');
  }
  return querystring.parse(raw);
}

/**
 * URLs whose percent-encoding is not UTF-8 (`%ff`, a link cut short at `%E0%A4%A`, a lone
 * `%`) are the client's mistake: they get a 400 that says how to encode, never a 500, and
 * never a value read with U+FFFD in place of what the client meant.
 */
const HOW =
  'each % must be followed by two hex digits that together spell UTF-8 (é is %C3%A9); send a literal % as %25';

export function malformedUrlError(where: 'path' | 'query'): ValidationError {
  return new ValidationError([{ field: `(${where})`, message: `is not valid percent-encoding: ${HOW}` }]);
}

/** Express's router failing to decode a path parameter: a URIError it marks 400. */
export function isPathDecodeError(err: unknown): boolean {
  return err instanceof URIError && (err as { status?: unknown }).status === 400;
}
