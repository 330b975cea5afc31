/**
 * Pragmatic e-mail address check for recipient imports.
 *
 * Not RFC 5322: it accepts the dot-atom addresses people actually have (no quoted local parts, no
 * IP-literal domains, ASCII/punycode domains only) and catches the common typos before we send to them.
 * The `reason` strings are part of the API (import reports, clients match on them): do not reword them.
 */

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;
const MAX_LABEL = 63;

/** Dot-atom local part: atext characters, dots only between them. */
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** One DNS label: letters, digits and inner hyphens. */
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** Top-level domain: two or more letters, or an IDN TLD in punycode (xn--...). */
const TLD = /^([a-z]{2,}|xn--[a-z0-9-]+)$/;

/** Mistyped top-level domains → what was meant. */
const TLD_TYPOS: Record<string, string> = {
  con: 'com',
  cmo: 'com',
  ocm: 'com',
  comm: 'com',
  om: 'com',
  cm: 'com',
  nte: 'net',
  ner: 'net',
  ogr: 'org',
  orgg: 'org',
};

/**
 * .om (Oman) and .cm (Cameroon) are real country TLDs: only call them typos when the rest of the domain is
 * a big mailbox provider (gmail.om, yahoo.cm), so that real addresses there are not rejected.
 */
const REAL_TLDS_IN_TYPO_LIST = new Set(['om', 'cm']);
const MAILBOX_PROVIDERS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'hotmail',
  'outlook',
  'live',
  'msn',
  'aol',
  'icloud',
]);

/** Mistyped mailbox-provider domains → what was meant. */
const DOMAIN_TYPOS: Record<string, string> = {
  'gmial.com': 'gmail.com',
  'gmai.com': 'gmail.com',
  'gamil.com': 'gmail.com',
  'hotmial.com': 'hotmail.com',
  'yaho.com': 'yahoo.com',
};

/** The form we store and compare addresses in: trimmed and lower-cased. */
export function normaliseEmail(s: string): string {
  return s.trim().toLowerCase();
}

export function checkEmail(raw: string): EmailCheck {
  const email = normaliseEmail(raw);
  if (email === '') return fail('empty');
  if (/\s/.test(email)) return fail('contains spaces');
  const parts = email.split('@');
  if (parts.length === 1) return fail('missing @');
  if (parts.length > 2) return fail('more than one @');
  const [local, domain] = parts as [string, string];
  if (email.length > MAX_ADDRESS || local.length > MAX_LOCAL_PART) return fail('too long');
  if (!LOCAL_PART.test(local)) return fail('bad local part');
  if (!isValidDomain(domain)) return fail('bad domain');
  const typo = domainTypo(domain);
  if (typo) return fail(`domain typo: ${typo.wrong} (did you mean ${typo.meant}?)`);
  return { ok: true, email };
}

function isValidDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => label.length <= MAX_LABEL && LABEL.test(label))) return false;
  return TLD.test(labels[labels.length - 1]);
}

function domainTypo(domain: string): { wrong: string; meant: string } | null {
  const labels = domain.split('.');
  const tld = labels[labels.length - 1];
  const tldFix = TLD_TYPOS[tld];
  const isProvider = labels.length === 2 && MAILBOX_PROVIDERS.has(labels[0]);
  if (tldFix && (!REAL_TLDS_IN_TYPO_LIST.has(tld) || isProvider))
    return { wrong: `.${tld}`, meant: `.${tldFix}` };
  const domainFix = DOMAIN_TYPOS[domain];
  if (domainFix) return { wrong: domain, meant: domainFix };
  return null;
}

function fail(reason: string): EmailCheck {
  return { ok: false, reason };
}
