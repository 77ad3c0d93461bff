import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from './bytes.ts';
import { TAG_NAMES, dumpTlv } from './tlv-dump.ts';
import {
  TlvError,
  encodeLength,
  encodeTag,
  encodeTlv,
  findAll,
  findTag,
  parseTagHex,
  parseTlv,
  serializeTlv,
  serializeTlvList,
  tagHex,
  tlv,
  type Tlv,
} from './tlv.ts';

const PSE_FCI = '6F1A840E315041592E5359532E4444463031A5088801015F2D027A68';

function only(list: Tlv[]): Tlv {
  assert.equal(list.length, 1);
  return list[0]!;
}

test('single-byte primitive tag', () => {
  const t = only(parseTlv(fromHex('5A 08 6228480000000000')));
  assert.equal(t.tag, 0x5a);
  assert.equal(t.constructed, false);
  assert.equal(toHex(t.value), '6228480000000000');
  assert.equal(t.children, undefined);
});

test('multi-byte tags 9F38, BF0C and 3-byte DF8101', () => {
  const list = parseTlv(fromHex('9F38 03 9F6604  BF0C 05 9F4D 02 0B0A  DF8101 02 ABCD'));
  assert.deepEqual(
    list.map((t) => t.tag),
    [0x9f38, 0xbf0c, 0xdf8101],
  );
  assert.equal(list[0]!.constructed, false);
  assert.equal(toHex(list[0]!.value), '9F6604');
  assert.equal(list[1]!.constructed, true);
  assert.equal(list[1]!.children![0]!.tag, 0x9f4d);
  assert.equal(toHex(list[1]!.children![0]!.value), '0B0A');
  assert.equal(list[2]!.constructed, false);
  assert.equal(toHex(list[2]!.value), 'ABCD');
  assert.equal(toHex(encodeTag(0xdf8101)), 'DF8101');
  assert.equal(toHex(serializeTlvList(list)), '9F38039F6604BF0C059F4D020B0ADF810102ABCD');
});

test('constructed nesting three levels deep', () => {
  // 70 { 61 { A5 { 50 "AB" } } }
  const bytes = fromHex('70 08 61 06 A5 04 50 02 4142');
  const l1 = only(parseTlv(bytes));
  assert.equal(l1.tag, 0x70);
  assert.equal(l1.constructed, true);
  const l2 = only(l1.children!);
  assert.equal(l2.tag, 0x61);
  const l3 = only(l2.children!);
  assert.equal(l3.tag, 0xa5);
  const leaf = only(l3.children!);
  assert.equal(leaf.tag, 0x50);
  assert.equal(toHex(leaf.value), '4142');
  assert.equal(toHex(l1.value), '61 06 A5 04 50 02 4142'.replace(/ /g, ''));
  assert.deepEqual(serializeTlv(l1), bytes);
});

test('recursive: false leaves constructed values unparsed', () => {
  const t = only(parseTlv(fromHex('70 03 010203'), { recursive: false }));
  assert.equal(t.constructed, true);
  assert.equal(t.children, undefined);
  assert.equal(toHex(t.value), '010203');
});

test('length forms 81 and 82 round-trip (200 and 300 bytes)', () => {
  for (const [n, lenHex] of [
    [200, '81C8'],
    [300, '82012C'],
  ] as const) {
    const value = new Uint8Array(n).map((_, i) => i & 0xff);
    const enc = encodeTlv(0x9f10, value);
    assert.equal(toHex(enc.subarray(0, 2 + lenHex.length / 2)), `9F10${lenHex}`);
    assert.equal(enc.length, 2 + lenHex.length / 2 + n);
    const t = only(parseTlv(enc));
    assert.equal(t.tag, 0x9f10);
    assert.deepEqual(t.value, value);
    assert.deepEqual(serializeTlv(t), enc);
  }
});

test('83 length form is accepted', () => {
  const t = only(parseTlv(fromHex('04 83000002 AABB')));
  assert.equal(toHex(t.value), 'AABB');
});

test('00 and FF padding between, before and after objects is skipped', () => {
  const list = parseTlv(fromHex('00 FF 5A 01 11 00 00 FF 70 06 00 50 01 41 FF 00 FF 00'));
  assert.deepEqual(
    list.map((t) => t.tag),
    [0x5a, 0x70],
  );
  assert.deepEqual(
    list[1]!.children!.map((t) => t.tag),
    [0x50],
  );
  assert.deepEqual(parseTlv(fromHex('00 00 FF')), []);
  assert.deepEqual(parseTlv(new Uint8Array(0)), []);
});

function throwsTlv(hex: string, offset: number, pattern: RegExp): void {
  assert.throws(
    () => parseTlv(fromHex(hex)),
    (e: unknown) => {
      assert.ok(e instanceof TlvError, `expected TlvError, got ${String(e)}`);
      assert.equal(e.offset, offset);
      assert.match(e.message, new RegExp(`offset ${offset}`));
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('errors: truncated tag', () => {
  throwsTlv('5A 01 11 9F', 3, /truncated tag/);
  throwsTlv('DF 81', 0, /truncated tag/);
});

test('errors: truncated length', () => {
  throwsTlv('5A', 1, /truncated length/);
  throwsTlv('9F38', 2, /truncated length/);
  throwsTlv('5A 81', 1, /truncated length/);
  throwsTlv('5A 82 01', 1, /truncated length/);
});

test('errors: length running past the end', () => {
  throwsTlv('5A 03 1122', 0, /runs past the end/);
  throwsTlv('5A 81 80 00', 0, /runs past the end/);
  // inside a constructed object: the child runs past the parent's value
  throwsTlv('70 03 5A 05 11 22 33', 2, /runs past the end/);
});

test('errors: indefinite length and length forms above 83', () => {
  throwsTlv('70 80 5A 01 11 00 00', 1, /indefinite/);
  throwsTlv('5A 84 00000001 11', 1, /unsupported length form '84'/);
  throwsTlv('5A FF', 1, /unsupported length form 'FF'/);
});

test('errors: constructed value that is not TLV', () => {
  // A5 holds '9F' alone: a truncated tag
  throwsTlv('6F 03 A5 01 9F', 4, /truncated tag/);
  // but recursive: false accepts it
  assert.equal(parseTlv(fromHex('6F 03 A5 01 9F'), { recursive: false }).length, 1);
});

test('encodeLength chooses the shortest form', () => {
  assert.equal(toHex(encodeLength(0)), '00');
  assert.equal(toHex(encodeLength(0x7f)), '7F');
  assert.equal(toHex(encodeLength(0x80)), '8180');
  assert.equal(toHex(encodeLength(0xff)), '81FF');
  assert.equal(toHex(encodeLength(0x100)), '820100');
  assert.equal(toHex(encodeLength(0xffff)), '82FFFF');
  assert.equal(toHex(encodeLength(0x10000)), '83010000');
  assert.throws(() => encodeLength(0x1000000), RangeError);
  assert.throws(() => encodeLength(-1), RangeError);
  assert.equal(toHex(encodeTlv(0x84, fromHex('A0000003330101'))), '8407A0000003330101');
});

test('encodeTag validates tag structure', () => {
  assert.equal(toHex(encodeTag(0x6f)), '6F');
  assert.equal(toHex(encodeTag(0x5f2d)), '5F2D');
  assert.throws(() => encodeTag(0x1f), RangeError); // announces a subsequent byte
  assert.throws(() => encodeTag(0x5a01), RangeError); // 5A is single-byte
  assert.throws(() => encodeTag(0x9f81), RangeError); // last byte has b8 set
  assert.throws(() => encodeTag(0xdf0101), RangeError); // middle byte lacks b8
  assert.throws(() => encodeTag(0), RangeError);
});

test('tlv() builds constructed objects from children', () => {
  const fci = tlv(0x6f, [
    tlv(0x84, fromHex('315041592E5359532E4444463031')),
    tlv(0xa5, [tlv(0x88, fromHex('01')), tlv(0x5f2d, fromHex('7A68'))]),
  ]);
  assert.equal(fci.constructed, true);
  assert.equal(toHex(serializeTlv(fci)), PSE_FCI);
  assert.equal(toHex(encodeTlv(0x6f, fci.children!)), PSE_FCI);
  assert.equal(toHex(fci.value), PSE_FCI.slice(4));
  assert.throws(() => tlv(0x5a, [tlv(0x50, fromHex('41'))]), RangeError);
  // round trip through the parser
  assert.deepEqual(parseTlv(serializeTlv(fci)), [fci]);
});

test('findTag searches depth-first; findAll returns every match in order', () => {
  const list = parseTlv(fromHex('70 10 61 0A 4F 02 A001 A5 04 9F12 01 41 9F12 01 42  5F2D 02 7A68 9F12 01 43'));
  assert.equal(toHex(findTag(list, 0x4f)!.value), 'A001');
  assert.equal(toHex(findTag(list, 0x9f12)!.value), '41'); // first match in document order (inside 61/A5)
  assert.equal(findTag(list, 0xa5)!.children!.length, 1);
  assert.equal(findTag(list, 0x5f2d)!.tag, 0x5f2d);
  assert.equal(findTag(list, 0x9f38), undefined);
  assert.deepEqual(
    findAll(list, 0x9f12).map((t) => toHex(t.value)),
    ['41', '42', '43'],
  );
  assert.deepEqual(findAll(list, 0x9f38), []);
});

test('tagHex and parseTagHex', () => {
  assert.equal(tagHex(0x9f38), '9F38');
  assert.equal(tagHex(0x6f), '6F');
  assert.equal(tagHex(0x5), '05');
  assert.equal(tagHex(0xdf8101), 'DF8101');
  assert.equal(parseTagHex('9F38'), 0x9f38);
  assert.equal(parseTagHex('bf0c'), 0xbf0c);
  assert.equal(parseTagHex('DF 81 01'), 0xdf8101);
  assert.equal(parseTagHex('6F'), 0x6f);
  for (const bad of ['', '9F', '6F01', 'XYZ', '00', 'FF']) {
    assert.throws(() => parseTagHex(bad), TlvError, bad);
  }
});

test('dumpTlv of the PSE FCI', () => {
  const expected = [
    '6F (FCI template) [1A]',
    '  84 (DF name) [0E] 315041592E5359532E4444463031 "1PAY.SYS.DDF01"',
    '  A5 (FCI proprietary template) [08]',
    '    88 (SFI of directory EF) [01] 01',
    '    5F2D (language preference) [02] 7A68 "zh"',
  ].join('\n');
  assert.equal(dumpTlv(parseTlv(fromHex(PSE_FCI))), expected);
});

test('dumpTlv with custom names, unparsed and empty values, long lengths', () => {
  const list = parseTlv(fromHex('6F 03 84 01 41 DF8101 00'), { recursive: false });
  assert.equal(dumpTlv(list, { names: {} }), '6F [03] 840141\nDF8101 [00]');
  assert.equal(dumpTlv(parseTlv(fromHex('84 01 41')), { names: { '84': 'x' } }), '84 (x) [01] 41 "A"');
  const big = parseTlv(encodeTlv(0x9f10, new Uint8Array(300)));
  assert.match(dumpTlv(big), /^9F10 \(issuer application data\) \[012C\] 0000/);
});

test('TAG_NAMES covers the common EMV/PBOC tags', () => {
  for (const t of ['6F', '84', 'A5', '88', '5F2D', 'BF0C', '9F38', '94', '82', '8C', '9F4B', 'DF69', '9F79', '62', '8A']) {
    assert.ok(TAG_NAMES[t], t);
  }
});
