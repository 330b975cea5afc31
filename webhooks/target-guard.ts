import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where Herald may POST a customer's events (issue 13, SSRF). A webhook URL is chosen by
 * the customer, so without a guard it is a way to make Herald's servers call their own
 * network: the cloud metadata service, a database's admin port, another tenant's sidecar.
 * Every address a host name resolves to is checked (a name may resolve to a public and a
 * private address at once), and the same check runs again at connection time (the socket
 * connects only to an address that passed: `guardedLookup`), so a name re-pointed after the
 * endpoint was created (DNS rebinding) gains nothing.
 */

/** What an address is, for the rules: only `public` is reachable in production. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'cgnat'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/**
 * ipaddr.js's range names (RFC 6890's special-purpose registries, kept up to date there) as
 * the rules' classes. A name not listed here is a special range added to the library later:
 * it is refused as `reserved` until someone decides otherwise.
 */
const RANGE_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  unspecified: 'unspecified',
  broadcast: 'reserved',
  multicast: 'multicast',
  linkLocal: 'link-local', // includes 169.254.169.254, the cloud metadata service
  loopback: 'loopback',
  carrierGradeNat: 'cgnat',
  private: 'private',
  uniqueLocal: 'unique-local', // includes fd00:ec2::254, AWS's IPv6 metadata service
  deprecatedSiteLocal: 'private', // fec0::/10, what unique-local replaced
  reserved: 'reserved',
};

/** 2000::/3, where every public IPv6 address lives: the rest is special or unassigned. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
/** The well-known NAT64 prefix (RFC 6052), unlike the local-use 64:ff9b:1::/48 (RFC 8215). */
const WELL_KNOWN_NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * The class of one IP address (v4 or v6, with an optional zone id). IPv4 carried inside IPv6:
 * - `::ffff:a.b.c.d` (mapped), `::ffff:0:a.b.c.d` (translated, RFC 6145) and
 *   `64:ff9b::a.b.c.d` (well-known NAT64) are judged by the IPv4 they carry: they are how a
 *   dual-stack socket or a DNS64 network legitimately reaches a public IPv4 host, and the
 *   IPv4 is always the last 32 bits.
 * - 6to4 (`2002::/16`), Teredo (`2001::/32`), IPv4-compatible (`::a.b.c.d`) and local-use
 *   NAT64 (`64:ff9b:1::/48`) are refused whatever they carry: the first three are deprecated
 *   and no receiver needs them, and where local-use NAT64 puts the IPv4 depends on the
 *   network's own prefix length. Judging their embedding (Teredo's is obfuscated) would be
 *   code to get wrong for nothing: `2002:a9fe:a9fe::` is the metadata service.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.split('%')[0]; // a zone id (fe80::1%eth0) names an interface, not an address
  // node:net is the judge of what a literal is (the one the socket goes by); ipaddr.js alone
  // would also read forms such as 0x7f.1 that no connection is made to.
  const family = isIP(bare);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  if (family === 4) return RANGE_CLASSES[ipaddr.IPv4.parse(bare).range()] ?? 'reserved';
  // Through the URL serializer first: it writes every IPv6 in plain hex, whereas ipaddr.js
  // reads the IPv4-compatible `::a.b.c.d` as if it were the mapped `::ffff:a.b.c.d`, so the
  // same address would be judged two ways depending on its spelling.
  const v6 = ipaddr.IPv6.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
  const range: string = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || v6.match(WELL_KNOWN_NAT64))
    return classifyAddress(ipaddr.fromByteArray(v6.toByteArray().slice(12)).toString());
  if (range === 'rfc6052') return 'private'; // the local-use NAT64 prefix: a translator inside someone's network
  if (range === 'unicast' && !v6.match(GLOBAL_UNICAST_V6)) return 'reserved'; // ::a.b.c.d and unassigned space
  return RANGE_CLASSES[range] ?? 'reserved'; // 6to4, Teredo, documentation, ORCHID, …
}

export interface TargetRules {
  /** ALLOW_HTTP_WEBHOOKS: `http://` and loopback targets (development and tests only). */
  allowHttp: boolean;
}

/** Why a URL or an address is refused, in words for the customer. */
export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}

/** Each class in the words a refusal uses. */
const DESCRIPTIONS: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local address',
  cgnat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

const DEVELOPMENT_ONLY = 'ALLOW_HTTP_WEBHOOKS=true allows loopback addresses, in development only';

/**
 * May a connection go to this address? Throws with the reason when not, naming the address
 * and, for a name, the host it came from (`host`; the address itself for an IP literal).
 */
export function checkAddress(
  address: string,
  rules: TargetRules,
  protocol: string,
  host: string = address,
): void {
  const cls = classifyAddress(address);
  if (rules.allowHttp && cls === 'loopback') return;
  if (cls === 'public' && protocol === 'https:') return;
  const where = `${isIP(host) ? 'the URL points at' : `the host ${host} resolves to`} ${address}, ${DESCRIPTIONS[cls]}`;
  const hint = cls === 'loopback' ? ` (${DEVELOPMENT_ONLY})` : '';
  if (protocol !== 'http:')
    throw new WebhookTargetError(`${where}: webhooks go only to public addresses${hint}`);
  if (rules.allowHttp)
    throw new WebhookTargetError(
      `http:// is allowed only to loopback addresses, and ${where}: use an https:// URL${cls === 'public' ? '' : ' to a public address'}`,
    );
  if (cls === 'public')
    throw new WebhookTargetError(
      'must be an https:// URL (http:// is allowed only to loopback addresses, with ALLOW_HTTP_WEBHOOKS=true, in development)',
    );
  throw new WebhookTargetError(`must be an https:// URL to a public address, and ${where}${hint}`);
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** A URL's host as a socket sees it: an IPv6 literal without its brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/**
 * What can be checked without resolving anything: the scheme, credentials, and an IP-literal
 * host's address. Every request runs this itself, because Node connects to an IP literal
 * without calling `lookup` (so `guardedLookup` alone never sees `http://127.0.0.1/`); a host
 * name is left to the lookup, which checks the very addresses connected to.
 */
export function checkTargetUrl(url: string | URL, rules: TargetRules): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookTargetError('not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new WebhookTargetError('must be an https:// URL');
  if (parsed.username || parsed.password)
    throw new WebhookTargetError('must not carry credentials: the signature authenticates Herald');
  const host = hostOf(parsed);
  if (isIP(host)) checkAddress(host, rules, parsed.protocol);
  return parsed;
}

/**
 * Checks a webhook URL as given: its scheme, then every address its host resolves to.
 * Throws a `WebhookTargetError` saying why not.
 */
export async function checkWebhookUrl(
  url: string,
  rules: TargetRules,
  lookup: Lookup = systemLookup,
): Promise<void> {
  const parsed = checkTargetUrl(url, rules);
  const host = hostOf(parsed);
  if (isIP(host)) return;
  // A name behind http:// is refused whatever it resolves to: no need to ask DNS.
  if (parsed.protocol === 'http:' && !rules.allowHttp)
    throw new WebhookTargetError(
      'must be an https:// URL (http:// is allowed only to loopback addresses, with ALLOW_HTTP_WEBHOOKS=true, in development)',
    );
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host);
  } catch {
    throw new WebhookTargetError(`the host ${host} does not resolve`);
  }
  if (!addresses.length) throw new WebhookTargetError(`the host ${host} does not resolve`);
  for (const { address } of addresses) checkAddress(address, rules, parsed.protocol, host);
}

/**
 * A `lookup` for node:http(s) requests that resolves the host and refuses the connection
 * unless every address passes: the check happens on the address actually connected to.
 * Node calls it for host names only: `checkTargetUrl` covers IP literals.
 */
export function guardedLookup(rules: TargetRules, protocol: string, lookup: Lookup = systemLookup) {
  return (
    host: string,
    options: { all?: boolean },
    callback: (
      err: Error | null,
      address: string | { address: string; family: number }[],
      family?: number,
    ) => void,
  ): void => {
    (isIP(host) ? Promise.resolve([{ address: host, family: isIP(host) }]) : lookup(host))
      .then((addresses) => {
        if (!addresses.length) throw new WebhookTargetError(`the host ${host} does not resolve`);
        for (const { address } of addresses) checkAddress(address, rules, protocol, host);
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      })
      .catch((err: Error) => callback(err, ''));
  };
}
