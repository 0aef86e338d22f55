import fc from 'fast-check';

/** fast-check generators of awkward values: the raw material of the hostile requests. */

// JSON.stringify cannot write some number literals (exactly 2^63, 1e400, -0.0): they travel as
// marked strings and are unquoted after serialising.
const RAW_MARK = '\u0000raw:';
const rawNumber = (literal: string) => RAW_MARK + literal;
export const toJsonText = (value: unknown): string => JSON.stringify(value).replace(/"\\u0000raw:([^"\\]*)"/g, '$1');

/** Percent-encodes UTF-8 bytes; unlike encodeURIComponent it accepts lone surrogates. */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const ch = String.fromCharCode(byte);
      return /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

const awkwardNumber = fc.oneof(
  fc.constantFrom(0, -1, 1.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc
    .constantFrom('9223372036854775808', '-9223372036854775809', '18446744073709551616', '1e400', '-0.0', '1E3', '2147483648.0')
    .map(rawNumber),
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Strings short enough for a URL: unicode, control characters, injection attempts, look-alikes. */
export const awkwardShortString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.oneof(loneSurrogate, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('')),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u0000'.repeat(10),
    "' OR '1'='1",
    '"; drop table slots; --',
    '${7*7}',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '１３１０１６',
    '１０００００００００',
    '131016\n',
    '2021-02-30',
    '2021-02-29',
    '0000-00-00',
    '0099-12-31',
    '9999-12-31',
    '+275760-09-13',
    '-1',
    'NaN',
    'Infinity',
    'null',
    'true',
    '__proto__',
    '\u202eevil',
    '🧪💉',
    'ｼｹﾝ ﾀﾛｳ',
    'AAAA-AAAA',
    ' 123456 ',
    '2147483648',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.integer({ min: 100, max: 1500 }).map((length) => 'x'.repeat(length)),
);

const awkwardString = fc.oneof(
  { weight: 9, arbitrary: awkwardShortString },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom('x', 'あ', '😀', '9')).map(([n, ch]) => ch.repeat(n)),
  },
);

export const awkwardKey = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'slotId', 'residentId', ''),
);

/** Any JSON value, with awkward scalars at the leaves. */
export const awkwardJson: fc.Arbitrary<unknown> = fc.letrec<{
  value: unknown;
  scalar: unknown;
  array: unknown[];
  object: Record<string, unknown>;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tie('scalar'), tie('array'), tie('object')),
  scalar: fc.oneof(fc.constant(null), fc.boolean(), awkwardNumber, awkwardString),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(awkwardKey, tie('value'), { maxKeys: 4 }),
})).value;

/** Body texts that are not a JSON document of a sensible size. */
export const awkwardBodyText = fc.oneof(
  // Nested thousands deep: parsers that recurse fall over.
  fc
    .tuple(fc.integer({ min: 50, max: 5000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']))
    .map(([depth, [open, close]]) => `${open.repeat(depth)}1${close.repeat(depth)}`),
  // Over the 16 KiB body limit.
  fc
    .integer({ min: 16 * 1024, max: 64 * 1024 })
    .chain((size) => fc.constantFrom(toJsonText({ padding: 'x'.repeat(size) }), `[${'1,'.repeat(size / 2)}1]`)),
  // Not JSON at all.
  fc.string({ unit: 'binary', maxLength: 60 }),
);

export const awkwardContentType = fc.constantFrom(
  undefined,
  '',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/problem+json',
  'Application/JSON',
  '*/*',
  'application/json;;;',
  'application',
  'text/json',
);

/** Already percent-encoded path segments that ask the router awkward questions. */
export const awkwardSegment = fc.constantFrom(
  '%ZZ',
  '%',
  '%00',
  '..',
  '.',
  '%2F',
  '%2e%2e%2f',
  'a%20b',
  '-1',
  '0',
  '1.5',
  '9223372036854775808',
  '1e3',
  '0x1F',
  '+1',
  '%20',
  'null',
);

/** Query-string tails a parser might choke on. */
export const awkwardQueryTail = fc.constantFrom('%ZZ', '&&', '=', 'a[b]=1', 'from', '%00=%00', '__proto__[x]=1', 'constructor=1');

/** Printable ASCII, the most a header value may carry. */
export const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 });
