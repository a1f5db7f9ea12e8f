import fc from 'fast-check';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

const codePoint = (min: number, max: number) => fc.integer({ min, max }).map((code) => String.fromCodePoint(code));

/** One character of every class: ASCII, Korean, emoji, C0 controls with NUL, lone surrogates, noncharacters, BOM, bidi overrides. */
const anyChar = fc.oneof(
  { weight: 4, arbitrary: codePoint(0x20, 0x7e) },
  { weight: 2, arbitrary: codePoint(0xac00, 0xd7a3) },
  codePoint(0x1f300, 0x1faff),
  codePoint(0, 0x1f),
  fc.constant('\u0000'),
  codePoint(0xd800, 0xdfff),
  fc.constantFrom('\u007f', '\uFFFD', '\uFEFF', '\uFFFF', '\u202E', '\u2028', '\u{10FFFF}', '\u0085'),
  codePoint(0, 0x10ffff),
);

export const anyText = (maxLength = 40) => fc.string({ unit: anyChar, maxLength });

/** encodeURIComponent, but a lone surrogate (which it refuses) is written as its three would-be UTF-8 bytes, e.g. %ED%A0%80. */
export function percentEncode(text: string): string {
  return [...text]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(char);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}

/** Text a database might choke on or a decoder might rewrite, as a single JSON value. */
const hostileScalar = fc.oneof(
  anyText(),
  fc.constantFrom(
    0,
    -0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    2 ** 31,
    -(2 ** 31) - 1,
    0.5,
    '',
    ' ',
    'null',
    '0',
    'true',
    '1995-02-31',
    '9999-99-99',
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** Objects that carry `__proto__`, `constructor` and `prototype` as own keys (as JSON.parse makes them). */
const poisonedObject = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`) as unknown);

/** Objects or arrays nested 20 to 2,000 levels, built in a loop. */
const deepValue = fc.tuple(fc.integer({ min: 20, max: 2000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = arrays ? [value] : { d: value };
  return value;
});

/** Wrong types, odd numbers, odd text, `__proto__` keys, deep nesting: any JSON value. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileScalar },
  deepValue,
  fc.jsonValue({ maxDepth: 3 }),
  poisonedObject,
  fc.array(hostileScalar, { maxLength: 4 }),
  fc.dictionary(anyText(8), hostileScalar, { maxKeys: 4 }),
);

/** `value` with one field replaced, or one key added (often a hostile one). */
export function bent(value: unknown): fc.Arbitrary<unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return hostileValue;
  const keys = Object.keys(value);
  const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', ...keys, 'extra'), anyText(8));
  return fc.tuple(key, hostileValue).map(([name, replacement]) => {
    const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    Object.defineProperty(copy, name, { value: replacement, enumerable: true, configurable: true, writable: true });
    return copy;
  });
}

/** JSON text nested `depth` levels, written directly (no recursion in the test either). */
const nested = fc
  .tuple(fc.integer({ min: 20, max: 4000 }), fc.constantFrom('[', '{"a":'), fc.constantFrom('{"name":"x"}', '1', '"s"'))
  .map(([depth, open, bottom]) => open.repeat(depth) + bottom + (open === '[' ? ']' : '}').repeat(depth));

/** JSON text: the given value, bent, wholly hostile, deeply nested, huge, or not JSON at all. */
export function jsonText(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((value) => JSON.stringify(value)) },
    { weight: 4, arbitrary: valid.chain(bent).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: hostileValue.map((value) => JSON.stringify(value)) },
    nested,
    fc.integer({ min: 10_000, max: 200_000 }).map((size) => JSON.stringify({ name: 'x'.repeat(size) })),
    fc.constantFrom('', '{', '{"name":', 'null', '"text"', '[]', '{}', '{"a":1,"a":2}', '\uFEFF{}', 'name=x', '{"name":"x"}garbage'),
  );
}

/** Byte sequences that are not UTF-8: stray, overlong, surrogate, cut short, past U+10FFFF. */
const NOT_UTF8 = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0xaf],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** The text's UTF-8 bytes, now and then with a sequence that is not UTF-8 spliced in. */
export function textBytes(text: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  const utf8 = text.map((t) => new Uint8Array(Buffer.from(t)));
  const spliced = fc.tuple(text, fc.constantFrom(...NOT_UTF8), fc.nat()).map(([t, bad, at]) => {
    const bytes = Buffer.from(t);
    const cut = bytes.length ? at % bytes.length : 0;
    return new Uint8Array(Buffer.concat([bytes.subarray(0, cut), Buffer.from(bad), bytes.subarray(cut)]));
  });
  return fc.oneof({ weight: 4, arbitrary: utf8 }, spliced);
}

export interface EncodedBody {
  bytes: Uint8Array;
  encoding?: string;
}

/** The body as sent: plain mostly, else compressed correctly, corrupt for its encoding, or in an unknown one. */
export function encoded(bytes: Uint8Array): fc.Arbitrary<EncodedBody> {
  const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ bytes }) },
    fc.constantFrom('gzip', 'deflate', 'br').map((encoding) => ({ bytes: new Uint8Array(compress[encoding](bytes)), encoding })),
    fc.tuple(fc.constantFrom('gzip', 'deflate', 'br', 'identity'), fc.uint8Array({ maxLength: 40 })).map(([encoding, junk]) => ({
      bytes: new Uint8Array(encoding === 'gzip' ? Buffer.from([0x1f, 0x8b, 8, 0, ...junk]) : junk),
      encoding,
    })),
    fc.tuple(fc.constantFrom('gzip', 'deflate', 'br'), fc.nat()).map(([encoding, cut]) => {
      const whole = compress[encoding](bytes);
      return { bytes: new Uint8Array(whole.subarray(0, cut % Math.max(whole.length, 1))), encoding };
    }),
    fc.constantFrom('bogus', 'compress', 'gzip, br', 'GZIP', 'x-gzip', ' gzip', '').map((encoding) => ({ bytes, encoding })),
  );
}

export const wrongContentType = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/jsonx',
  'application/merge-patch+json',
  'application/xml',
  '*/*',
  '',
  'application/json, text/plain',
);

/** A path segment to drop where a parameter or file name goes: dot segments, encoded separators, NUL, bytes that are not UTF-8, overlong. */
export const oddSegment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '',
    '%2e%2e',
    '%2E%2E%2F..',
    '..%2f..%2fpackage.json',
    '%252e%252e%252f',
    '..%5c..%5cpackage.json',
    '..\\..\\package.json',
    '%00',
    'swagger-ui.css%00',
    '%FF',
    '%C0%AF',
    '%C0%AE%C0%AE%C0%AF',
    '%ED%A0%80',
    '%E0%A4%A',
    '%',
    '%zz',
    'package.json',
    'swagger-ui.css',
    'swagger-ui-bundle.js.map',
    'index.html',
    '.env',
    '1',
    '0',
    '-1',
    '99999999999999999999',
    '1e3',
    '0x10',
    'ÿ',
  ),
  fc.integer({ min: 1, max: 20_000 }).map((size) => 'a'.repeat(size)),
  anyText(12).map(percentEncode),
  fc.stringMatching(/^[0-9a-f]{64}\.(png|jpg|webp)$/),
);

/** Headers the app must shrug off: duplicates, oversized, odd cookies, origins, languages and request ids. */
export const oddHeader: fc.Arbitrary<[string, string][]> = fc.oneof(
  fc.constantFrom<[string, string][]>(
    [
      ['content-type', 'application/json'],
      ['content-type', 'text/plain'],
    ],
    [
      ['cookie', 'sid=a'],
      ['cookie', 'sid=b; sid.sig=c'],
    ],
    [['cookie', 'sid=; sid.sig=']],
    [['cookie', 'sid=%FF%00; sid.sig=%ZZ']],
    [
      ['accept-language', 'ko'],
      ['accept-language', 'en'],
    ],
    [['origin', 'https://evil.example']],
    [['origin', 'null']],
    [['sec-fetch-site', 'cross-site']],
    [['x-request-id', '<script>'.repeat(30)]],
    [['x-forwarded-for', '1.2.3.4, ::1, garbage']],
    [['x-forwarded-proto', 'https']],
    [['host', 'evil.example']],
    [['accept', 'text/html']],
    [['range', 'bytes=0-1,5-9']],
    [['if-none-match', '*']],
  ),
  fc.integer({ min: 1000, max: 40_000 }).map((size): [string, string][] => [['x-pad', 'a'.repeat(size)]]),
  fc.integer({ min: 1000, max: 20_000 }).map((size): [string, string][] => [['cookie', `sid=${'a'.repeat(size)}`]]),
  anyText(20).map((text): [string, string][] => [
    [
      'accept-language',
      Buffer.from(text)
        .toString('latin1')
        .replace(/[^\t\x20-\x7e\x80-\xff]/g, ''),
    ],
  ]),
);
