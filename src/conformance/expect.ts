/**
 * Verdict checks used by scenario steps. A failed check throws an
 * AssertionError (the card did not conform: Allure "failed"); anything else
 * that goes wrong is a tool or transport problem (Allure "broken").
 */
import { AssertionError } from 'node:assert';
import { type Bytes, equal, toHex } from '../core/bytes.ts';
import type { ResponseApdu } from '../core/apdu.ts';
import { describeSw, swHex } from '../core/sw.ts';
import { type Tlv, TlvError, findTag, parseTlv, tagHex } from '../core/tlv.ts';

/** A status word, or a pattern such as 61XX / 6CXX / 63CX where X is any nibble. */
export interface SwPattern {
  text: string;
  value: number;
  mask: number;
}

export function parseSwPattern(text: string): SwPattern {
  const t = text.toUpperCase();
  if (!/^[0-9A-FX]{4}$/.test(t)) throw new Error(`not a status word pattern: ${text}`);
  let value = 0;
  let mask = 0;
  for (const ch of t) {
    value <<= 4;
    mask <<= 4;
    if (ch !== 'X') {
      value |= parseInt(ch, 16);
      mask |= 0xf;
    }
  }
  return { text: t, value, mask };
}

export function swMatches(sw: number, p: SwPattern): boolean {
  return (sw & p.mask) === p.value;
}

function swText(sw: number): string {
  return `${swHex(sw)} (${describeSw(sw).meaning})`;
}

export function fail(message: string, actual?: unknown, expected?: unknown): never {
  throw new AssertionError({ message, actual, expected, operator: 'conformance' });
}

export function expectSw(r: ResponseApdu, expected: SwPattern): void {
  if (!swMatches(r.sw, expected)) {
    const exp = expected.text.includes('X') ? expected.text : swText(expected.value);
    fail(`expected status word ${exp}, card answered ${swText(r.sw)}`, swHex(r.sw), expected.text);
  }
}

export function expectData(r: ResponseApdu, expected: Bytes, what = 'response data'): void {
  if (!equal(r.data, expected)) {
    fail(
      `${what} differs:\n  expected ${toHex(expected, ' ') || '(empty)'}\n  received ${toHex(r.data, ' ') || '(empty)'}`,
      toHex(r.data),
      toHex(expected),
    );
  }
}

export function expectLength(r: ResponseApdu, n: number): void {
  if (r.data.length !== n) fail(`expected ${n} bytes of response data, received ${r.data.length}`, r.data.length, n);
}

/** Parses response data as BER-TLV; a parse failure is a non-conformity of the card. */
export function tlvOf(data: Bytes, what = 'response data'): Tlv[] {
  try {
    return parseTlv(data);
  } catch (e) {
    if (e instanceof TlvError) fail(`${what} is not valid BER-TLV: ${e.message}`);
    throw e;
  }
}

/** The response must be exactly one template with tag `tag`; returns it. */
export function expectTemplate(r: ResponseApdu, tag: number): Tlv {
  const list = tlvOf(r.data);
  if (list.length !== 1 || list[0]!.tag !== tag) {
    fail(`expected one ${tagHex(tag)} template, received ${list.map((t) => tagHex(t.tag)).join(' ') || 'no data'}`);
  }
  return list[0]!;
}

/** A data object somewhere in the response, with the expected value when given. */
export function expectTag(r: ResponseApdu, tag: number, value?: Bytes): Tlv {
  const found = findTag(tlvOf(r.data), tag);
  if (!found) fail(`tag ${tagHex(tag)} is missing from the response`);
  if (value && !equal(found.value, value)) {
    fail(`tag ${tagHex(tag)} holds ${toHex(found.value)}, expected ${toHex(value)}`, toHex(found.value), toHex(value));
  }
  return found;
}

/** Any status word of the checking-error or execution-error classes (ISO/IEC 7816-4 Table 6). */
export function expectErrorSw(r: ResponseApdu): void {
  const d = describeSw(r.sw);
  if (d.category !== 'checking-error' && d.category !== 'execution-error') {
    fail(`expected an error status word, card answered ${swText(r.sw)}`, swHex(r.sw), '6xxx error');
  }
}
