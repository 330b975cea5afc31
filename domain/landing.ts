/**
 * The customer's own landing page (SPEC "The customer's own page"): which URLs a campaign may
 * send its recipients to, and the URL a ready link redirects to. Pure: no I/O.
 */

export const MAX_LANDING_URL = 2000;
/** The query parameter the customer's page reads the link's token from. */
export const TOKEN_PARAM = 'herald_token';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * No C0 control, DEL or C1 control anywhere. The URL parser drops CR, LF and tab where it meets
 * them and encodes the rest, so a URL holding one is not the URL that would be used.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
export const CONTROL_CHARACTER_PROBLEM =
  'must not contain control characters (CR, LF, tab, NUL…): send the URL on one line, percent-encoding what needs it';

/**
 * Why `raw` cannot be a landing URL, or null when it can. `https://` only: the token travels
 * in the URL, so it must not cross the network in clear. Outside production, `http://` to a
 * loopback host is allowed too, for a developer's local page (and the tests').
 */
export function landingUrlProblem(raw: string, { production }: { production: boolean }): string | null {
  if (raw.length > MAX_LANDING_URL) return `must be at most ${MAX_LANDING_URL} characters`;
  if (!NO_CONTROL_CHARACTERS.test(raw)) return CONTROL_CHARACTER_PROBLEM;
  if (!URL.canParse(raw)) return 'expected an absolute URL, e.g. https://example.com/redeem';
  const url = new URL(raw);
  if (url.username || url.password) return 'must not carry a user name or password';
  if (landingUrlAsUsed(raw).length > MAX_LANDING_URL)
    return `must be at most ${MAX_LANDING_URL} characters once percent-encoded`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && !production && LOOPBACK.test(url.hostname)) return null;
  return production
    ? 'must start with https://'
    : 'must start with https:// (http:// only to localhost, outside production)';
}

/**
 * A valid landing URL as `landingRedirect` will use it (host lower-cased and in punycode,
 * default port and dot segments gone, spaces percent-encoded): what is stored, so the
 * campaign shows the URL its links really go to.
 */
export function landingUrlAsUsed(raw: string): string {
  const url = new URL(raw);
  return `${url.origin}${url.pathname}${url.search}${url.hash}`;
}

/**
 * `landingUrl` with `herald_token=<token>` added to its query: an existing query string and
 * fragment are kept as they were written (only appended to, never re-encoded).
 */
export function landingRedirect(landingUrl: string, token: string): string {
  const url = new URL(landingUrl);
  const param = `${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  const query = url.search.length > 1 ? `${url.search}&${param}` : `?${param}`;
  return `${url.origin}${url.pathname}${query}${url.hash}`;
}
