import fc from 'fast-check';

/**
 * The values outside checks try first: each one has broken a parser, a database column or a
 * renderer somewhere. Kept apart from the schema walk so every field of every operation meets
 * all of them.
 */

export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\r\nX-Injected: 1',
  'line\nbreak',
  '\t',
  '\ud800', // a lone high surrogate: not valid UTF-16, JSON.stringify keeps it as \ud800
  '\udfff',
  '😀👩‍👩‍👧‍👦',
  '\u202eevil\u202c', // right-to-left override
  'مرحبا',
  '\ufeffbom',
  'Ａ', // full-width: normalises to A under NFKC
  "' OR 1=1 --",
  '"; DROP TABLE campaigns; --',
  '<script>alert(1)</script>',
  '=cmd|"/c calc"!A1',
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '%ff',
  '%',
  '%E0%A4%A',
  '__proto__',
  'constructor',
  'null',
  'true',
  '1e308',
  'NaN',
  '-0',
  '9'.repeat(400),
  'x'.repeat(5_001),
  'é'.repeat(70_000), // past a 64 KiB text column in bytes, not in characters
];

export const NASTY_NUMBERS: readonly number[] = [
  -1,
  0,
  -0,
  0.5,
  1e-300,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53 + 1, // not a safe integer: JSON carries it, JavaScript rounds it
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
];

/** Instants at and past the edges the API documents (2000-01-01 to 9999-12-31, with an offset). */
export const NASTY_DATES: readonly string[] = [
  '10000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z', // the last instant a JavaScript Date holds
  '+275760-09-13T00:00:00.001Z',
  '-000001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1999-12-31T23:59:59Z',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999-01:00', // inside the range in its own offset, past it in UTC
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T00:00:00', // no offset
  '2026-01-01',
  '2026-01-01T00:00:60Z',
  '2026-01-01T00:00:00.1234567890123Z',
  '1e308',
];

/** Path segments the URL parser passes through untouched but a decoder may choke on. */
export const NASTY_SEGMENTS: readonly string[] = [
  '%ff',
  '%',
  '%E0%A4%A',
  '%C0%80',
  '%00',
  '%2F',
  '%2e%2e',
  '..',
  '%20',
  '0',
  '-1',
  '1e308',
  '9'.repeat(400),
  'x'.repeat(5_000),
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '%F0%9F%98%80',
  encodeURIComponent('\u202e'),
  encodeURIComponent('😀'),
  '%EDA080', // without its escapes: literal text
  '%ED%A0%80', // an encoded lone surrogate: invalid UTF-8
];

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is sent as the bytes a
 * WTF-8 client would send: an escape sequence that is not valid UTF-8, which the server must refuse.
 */
export function encodeLoosely(text: string): string {
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    const lone = char.length === 1 && unit >= 0xd800 && unit <= 0xdfff;
    out += lone
      ? [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('')
      : encodeURIComponent(char);
  }
  return out;
}

/** Any JSON value of any type: for "wrong type" mutations. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': '' }),
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...NASTY_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);

/** Raw request bodies that are not the JSON the schema asks for, or not JSON at all. */
export const RAW_BODIES: readonly string[] = [
  '',
  '{',
  '{"a":',
  'null',
  '[]',
  '"text"',
  '0',
  '{"amountCents": 1e999}',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"x": 1}}}',
  '\ufeff{}',
  '{"a":1,"a":2}',
  '['.repeat(10_000) + ']'.repeat(10_000),
  '{"x":"' + 'y'.repeat(2_000_000) + '"}', // past the body limit
  '\u0000',
];
