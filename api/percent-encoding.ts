import * as querystring from 'node:querystring';
import { malformedUrlError } from './errors';

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
