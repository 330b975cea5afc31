/**
 * Who touched an invite's email or link: a person, or a machine acting on their mail (an
 * image proxy that prefetches, a link scanner, a preview bot). The one place that decides;
 * the Postmark webhooks (api/usecases/postmark-events.ts) and the recipient pages
 * (api/routes/pages.ts) both ask it. Pure: no I/O. The rules and why: docs/analytics.md.
 */

export type Audience = 'people' | 'machines';
export type TouchKind = 'open' | 'click' | 'view';

export interface Touch {
  kind: TouchKind;
  /** The User-Agent the provider reported (opens, clicks) or the request carried (views). */
  userAgent: string | null | undefined;
  /** The HTTP method of a page visit (a HEAD fetches no page: a checker, never a person). */
  method?: string;
  /** Seconds since the invite was sent or delivered, when it has gone no further than that. */
  secondsSinceDelivery?: number | null;
  /** Whether a person was already seen on this invite (its journey is past `delivered`). */
  humanSeen: boolean;
  /** PREFETCH_WINDOW_SECONDS (config); default 30. */
  prefetchWindowSeconds?: number;
}

export interface Verdict {
  audience: Audience;
  /** Why, in a word the docs explain. */
  reason: 'head_request' | 'no_user_agent' | 'scanner_user_agent' | 'apple_proxy' | 'too_soon' | 'person';
}

/**
 * Within this many seconds of delivery, before any sign of a person, a touch is a machine's:
 * scanners (Safe Links, Proofpoint, Mimecast…) and Apple's Mail Privacy Protection fetch as
 * the message lands; a person who reads that fast is rarer than a scanner, and their next
 * touch (a later click, the page's buttons) still counts.
 */
export const PREFETCH_WINDOW_SECONDS = 30;

/**
 * User agents of link scanners, prefetchers and preview bots, and of HTTP libraries (no
 * person browses with curl). Matched case-insensitively anywhere in the User-Agent.
 */
const MACHINE_AGENTS = [
  'bot',
  'crawler',
  'spider',
  'scanner',
  'preview',
  'prefetch',
  'safelinks',
  'urldefense',
  'proofpoint',
  'mimecast',
  'barracuda',
  'forcepoint',
  'trendmicro',
  'symantec',
  'sophos',
  'zscaler',
  'fireeye',
  'cisco',
  'ms-office',
  'microsoft office',
  'phantomjs',
  'python-requests',
  'python-urllib',
  'aiohttp',
  'curl/',
  'wget/',
  'go-http-client',
  'java/',
  'okhttp',
  'node-fetch',
  'axios/',
  'libwww-perl',
  'facebookexternalhit',
  'whatsapp',
  'yahoomailproxy',
];
const MACHINE_PATTERN = new RegExp(
  MACHINE_AGENTS.map((a) => a.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
  'i',
);

/**
 * Apple's Mail Privacy Protection proxy fetches the open pixel with a bare `Mozilla/5.0` and
 * nothing else (Postmark documents that MPP opens are false positives but marks none): no
 * mail client sends only that.
 */
const APPLE_PROXY = /^Mozilla\/5\.0$/;

export function classifyTouch(touch: Touch): Verdict {
  const agent = (touch.userAgent ?? '').trim();
  if (touch.kind === 'view' && touch.method && touch.method.toUpperCase() === 'HEAD')
    return { audience: 'machines', reason: 'head_request' };
  // A browser always names itself; a provider's payload without one says nothing either way.
  if (!agent && touch.kind === 'view') return { audience: 'machines', reason: 'no_user_agent' };
  if (agent && MACHINE_PATTERN.test(agent)) return { audience: 'machines', reason: 'scanner_user_agent' };
  if (touch.kind === 'open' && APPLE_PROXY.test(agent))
    return { audience: 'machines', reason: 'apple_proxy' };
  if (
    !touch.humanSeen &&
    touch.secondsSinceDelivery !== null &&
    touch.secondsSinceDelivery !== undefined &&
    touch.secondsSinceDelivery >= 0 &&
    touch.secondsSinceDelivery < (touch.prefetchWindowSeconds ?? PREFETCH_WINDOW_SECONDS)
  )
    return { audience: 'machines', reason: 'too_soon' };
  return { audience: 'people', reason: 'person' };
}
