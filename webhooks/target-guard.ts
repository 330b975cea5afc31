import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

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

type Range = [prefix: bigint, bits: number, cls: AddressClass];

const v4 = (text: string): bigint =>
  text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);

/** IPv4 ranges that are not the public Internet (RFC 6890), most specific first. */
const V4_RANGES: Range[] = (
  [
    ['0.0.0.0', 8, 'unspecified'],
    ['10.0.0.0', 8, 'private'],
    ['100.64.0.0', 10, 'cgnat'],
    ['127.0.0.0', 8, 'loopback'],
    // Includes 169.254.169.254, the cloud metadata service.
    ['169.254.0.0', 16, 'link-local'],
    ['172.16.0.0', 12, 'private'],
    ['192.0.0.0', 24, 'reserved'],
    ['192.0.2.0', 24, 'reserved'],
    ['192.88.99.0', 24, 'reserved'],
    ['192.168.0.0', 16, 'private'],
    ['198.18.0.0', 15, 'reserved'],
    ['198.51.100.0', 24, 'reserved'],
    ['203.0.113.0', 24, 'reserved'],
    ['224.0.0.0', 4, 'multicast'],
    ['240.0.0.0', 4, 'reserved'],
  ] as const
).map(([a, bits, cls]) => [v4(a), bits, cls]);

/** Parses an IPv6 text (with `::` and an optional dotted IPv4 tail) into its 128 bits. */
function v6(text: string): bigint {
  let address = text.split('%')[0]; // a zone id (fe80::1%eth0) names an interface, not an address
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const n = v4(dotted[1]);
    address = `${address.slice(0, -dotted[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [left, right] = address.includes('::') ? address.split('::') : [address, undefined];
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  const fill = right === undefined ? [] : Array<string>(8 - l.length - r.length).fill('0');
  return [...l, ...fill, ...r].reduce((n, g) => (n << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

const V6_RANGES: Range[] = (
  [
    ['::', 128, 'unspecified'],
    ['::1', 128, 'loopback'],
    ['100::', 64, 'reserved'],
    ['2001:db8::', 32, 'reserved'],
    ['fc00::', 7, 'unique-local'], // includes fd00:ec2::254, AWS's IPv6 metadata service
    ['fe80::', 10, 'link-local'],
    ['fec0::', 10, 'private'], // the deprecated site-local range
    ['ff00::', 8, 'multicast'],
  ] as const
).map(([a, bits, cls]) => [v6(a), bits, cls]);

const inRange = (n: bigint, width: number, [prefix, bits]: Range) =>
  n >> BigInt(width - bits) === prefix >> BigInt(width - bits);

/** The class of one IP address (v4, v6, or v4 inside v6: mapped, compatible, NAT64). */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address.split('%')[0]);
  if (family === 4) {
    const n = v4(address);
    return V4_RANGES.find((r) => inRange(n, 32, r))?.[2] ?? 'public';
  }
  if (family !== 6) throw new Error(`not an IP address: ${address}`);
  const n = v6(address);
  const low32 = n & 0xffffffffn;
  const asV4 = [3, 2, 1, 0].map((i) => String((low32 >> BigInt(i * 8)) & 0xffn)).join('.');
  // ::ffff:a.b.c.d (mapped), 64:ff9b::a.b.c.d (NAT64) and ::a.b.c.d (compatible) reach an IPv4 host.
  if (n >> 32n === 0xffffn || n >> 32n === v6('64:ff9b::') >> 32n || (n >> 32n === 0n && n > 1n))
    return classifyAddress(asV4);
  return V6_RANGES.find((r) => inRange(n, 128, r))?.[2] ?? 'public';
}

export interface TargetRules {
  /** ALLOW_HTTP_WEBHOOKS: `http://` and loopback targets (development and tests only). */
  allowHttp: boolean;
}

/** Why a URL or an address is refused, in words for the customer. */
export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}

/** May a connection go to this address? Throws with the reason when not. */
export function checkAddress(address: string, rules: TargetRules, protocol: string): void {
  const cls = classifyAddress(address);
  if (rules.allowHttp && cls === 'loopback') return;
  if (protocol === 'http:')
    throw new WebhookTargetError(`http:// is allowed only to loopback, and ${address} is ${cls}`);
  if (cls !== 'public')
    throw new WebhookTargetError(
      `resolves to ${address}, a ${cls} address: webhooks go to public addresses only`,
    );
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/**
 * Checks a webhook URL as given: its scheme, then every address its host resolves to.
 * Throws a `WebhookTargetError` saying why not.
 */
export async function checkWebhookUrl(
  url: string,
  rules: TargetRules,
  lookup: Lookup = systemLookup,
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookTargetError('not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new WebhookTargetError('must be an https:// URL');
  if (parsed.protocol === 'http:' && !rules.allowHttp)
    throw new WebhookTargetError(
      'must be an https:// URL (http:// only to loopback with ALLOW_HTTP_WEBHOOKS=true)',
    );
  if (parsed.username || parsed.password)
    throw new WebhookTargetError('must not carry credentials: the signature authenticates Herald');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string }[];
  try {
    addresses = isIP(host) ? [{ address: host }] : await lookup(host);
  } catch {
    throw new WebhookTargetError(`the host ${host} does not resolve`);
  }
  if (!addresses.length) throw new WebhookTargetError(`the host ${host} does not resolve`);
  for (const { address } of addresses) checkAddress(address, rules, parsed.protocol);
}

/**
 * A `lookup` for node:http(s) requests that resolves the host and refuses the connection
 * unless every address passes: the check happens on the address actually connected to.
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
        for (const { address } of addresses) checkAddress(address, rules, protocol);
        if (!addresses.length) throw new WebhookTargetError(`the host ${host} does not resolve`);
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      })
      .catch((err: Error) => callback(err, ''));
  };
}
