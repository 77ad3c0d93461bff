/**
 * Custom parameter types, so that steps receive typed values:
 *   {hex}   "00 A4 04 00"   → Uint8Array
 *   {sw}    9000, 6A82, 61XX, 63CX → status-word pattern
 *   {fid}   3F00, EF05       → number
 *   {path}  3F00/DDF1/EF05   → profile path string
 *   {tag}   9F38, 84         → BER-TLV tag number
 */
import { defineParameterType } from '@cucumber/cucumber';
import { fromHex } from '../src/core/bytes.ts';
import { parseTagHex } from '../src/core/tlv.ts';
import { parseSwPattern } from '../src/conformance/expect.ts';

defineParameterType({
  name: 'hex',
  regexp: /"((?:[0-9A-Fa-f]{2}\s*)*)"/,
  transformer: (s: string) => fromHex(s),
});

defineParameterType({
  name: 'sw',
  regexp: /[0-9A-F]{2}(?:[0-9A-F]{2}|XX|CX)/,
  transformer: (s: string) => parseSwPattern(s),
});

defineParameterType({
  name: 'fid',
  regexp: /[0-9A-F]{4}/,
  transformer: (s: string) => parseInt(s, 16),
  useForSnippets: false,
});

defineParameterType({
  name: 'path',
  regexp: /3F00(?:\/[0-9A-F]{4})+/,
  transformer: (s: string) => s,
});

defineParameterType({
  name: 'tag',
  regexp: /tag [0-9A-F]{2,6}/,
  transformer: (s: string) => parseTagHex(s.slice(4)),
  useForSnippets: false,
});
