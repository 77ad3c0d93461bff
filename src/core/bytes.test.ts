import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexError, ascii, concat, equal, fromHex, isHex, printable, readUint, toHex, uint, xor } from './bytes.ts';

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

test('fromHex accepts plain, spaced, colon, 0x and mixed-case hex', () => {
  assert.deepEqual(fromHex('00A40400'), bytes(0x00, 0xa4, 0x04, 0x00));
  assert.deepEqual(fromHex('00 a4 04 00'), bytes(0x00, 0xa4, 0x04, 0x00));
  assert.deepEqual(fromHex(' 00\tA4\n04  00 '), bytes(0x00, 0xa4, 0x04, 0x00));
  assert.deepEqual(fromHex('3B:6F:00'), bytes(0x3b, 0x6f, 0x00));
  assert.deepEqual(fromHex('0x00A4'), bytes(0x00, 0xa4));
  assert.deepEqual(fromHex('0X9000'), bytes(0x90, 0x00));
  assert.deepEqual(fromHex('0x3B 0x6F 0xff'), bytes(0x3b, 0x6f, 0xff));
  assert.deepEqual(fromHex('aBcDeF'), bytes(0xab, 0xcd, 0xef));
  assert.deepEqual(fromHex('12_34-56'), bytes(0x12, 0x34, 0x56));
});

test('fromHex of empty text is an empty array', () => {
  const empty = fromHex('');
  assert.ok(empty instanceof Uint8Array);
  assert.equal(empty.length, 0);
  assert.equal(fromHex('   ').length, 0);
  assert.equal(fromHex('0x').length, 0);
});

test('fromHex rejects an odd number of digits with HexError', () => {
  for (const bad of ['0', 'ABC', '00 A', '0x123', '1 2 3']) {
    assert.throws(
      () => fromHex(bad),
      (e: unknown) => {
        assert.ok(e instanceof HexError, `${bad}: expected HexError, got ${String(e)}`);
        assert.equal(e.name, 'HexError');
        assert.match(e.message, /odd number of hex digits/);
        assert.ok(e.message.includes(bad), 'message quotes the input');
        return true;
      },
    );
  }
});

test('fromHex rejects non-hex characters with HexError', () => {
  for (const bad of ['GG', '0g', 'zz00', '00;A4', '12.34', 'é0']) {
    assert.throws(
      () => fromHex(bad),
      (e: unknown) => {
        assert.ok(e instanceof HexError, `${bad}: expected HexError, got ${String(e)}`);
        assert.match(e.message, /not hexadecimal|odd number/);
        return true;
      },
    );
  }
  assert.throws(() => fromHex('GG'), /not hexadecimal: "GG"/);
});

test('HexError is an Error', () => {
  const e = new HexError('x');
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'HexError');
  assert.equal(e.message, 'x');
});

test('isHex agrees with fromHex', () => {
  for (const good of ['', '00', '00 A4', '3B:6F', '0xFF', 'abcdef']) assert.equal(isHex(good), true, good);
  for (const bad of ['0', 'ABC', 'GG', '00;A4']) assert.equal(isHex(bad), false, bad);
});

test('toHex is upper case, zero padded, with an optional separator', () => {
  assert.equal(toHex(bytes(0x00, 0xa4, 0x0f, 0xff)), '00A40FFF');
  assert.equal(toHex(bytes(0x00, 0xa4, 0x0f, 0xff), ' '), '00 A4 0F FF');
  assert.equal(toHex(bytes(0x3b, 0x6f), ':'), '3B:6F');
  assert.equal(toHex(bytes(0x01, 0x02, 0x03), ', '), '01, 02, 03');
  assert.equal(toHex(bytes(0x7f), ' '), '7F', 'no separator for a single byte');
  assert.equal(toHex(new Uint8Array(0), ' '), '');
  assert.equal(toHex([0x12, 0x34]), '1234', 'plain arrays are accepted');
  assert.equal(toHex([0x1ab]), 'AB', 'values are masked to one byte');
});

test('fromHex and toHex round trip every byte value', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(fromHex(toHex(all)), all);
  assert.deepEqual(fromHex(toHex(all, ' ')), all);
  assert.deepEqual(fromHex(toHex(all, ':')), all);
  assert.equal(toHex(fromHex('de ad be ef')), 'DEADBEEF');
});

test('concat joins arrays and plain number arrays', () => {
  assert.deepEqual(concat(bytes(1, 2), [3], new Uint8Array(0), bytes(4, 5, 6)), bytes(1, 2, 3, 4, 5, 6));
  assert.deepEqual(concat(), new Uint8Array(0));
  assert.deepEqual(concat([]), new Uint8Array(0));
  const a = bytes(9, 8);
  const joined = concat(a);
  assert.deepEqual(joined, a);
  joined[0] = 0;
  assert.equal(a[0], 9, 'concat copies its inputs');
});

test('equal compares lengths and contents', () => {
  assert.equal(equal(bytes(1, 2, 3), bytes(1, 2, 3)), true);
  assert.equal(equal(bytes(1, 2, 3), [1, 2, 3]), true);
  assert.equal(equal(new Uint8Array(0), []), true);
  assert.equal(equal(bytes(1, 2, 3), bytes(1, 2, 4)), false);
  assert.equal(equal(bytes(1, 2, 3), bytes(1, 2)), false);
  assert.equal(equal(bytes(1, 2), bytes(1, 2, 3)), false);
  assert.equal(equal(bytes(0), []), false);
});

test('xor combines byte by byte', () => {
  assert.deepEqual(xor(bytes(0xff, 0x0f, 0x00), bytes(0x0f, 0x0f, 0xaa)), bytes(0xf0, 0x00, 0xaa));
  assert.deepEqual(xor([], []), new Uint8Array(0));
  const a = fromHex('0123456789ABCDEF');
  const k = fromHex('FEDCBA9876543210');
  assert.deepEqual(xor(xor(a, k), k), a, 'xor is its own inverse');
  assert.deepEqual(xor(a, a), new Uint8Array(8));
});

test('xor of different lengths throws RangeError', () => {
  assert.throws(() => xor(bytes(1, 2), bytes(1)), RangeError);
  assert.throws(() => xor([], [1]), /xor of 0 and 1 bytes/);
});

test('uint encodes big-endian on the requested length', () => {
  assert.deepEqual(uint(0, 1), bytes(0));
  assert.deepEqual(uint(0xff, 1), bytes(0xff));
  assert.deepEqual(uint(0x1234, 2), bytes(0x12, 0x34));
  assert.deepEqual(uint(0x12, 2), bytes(0x00, 0x12));
  assert.deepEqual(uint(0x123456, 3), bytes(0x12, 0x34, 0x56));
  assert.deepEqual(uint(0xffffffff, 4), bytes(0xff, 0xff, 0xff, 0xff));
  assert.deepEqual(uint(0x0102030405, 5), bytes(1, 2, 3, 4, 5));
  assert.deepEqual(uint(2 ** 48 - 1, 6), bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
  assert.deepEqual(uint(0, 0), new Uint8Array(0));
});

test('uint and readUint round trip', () => {
  const cases: [number, number][] = [
    [0, 1],
    [1, 1],
    [255, 1],
    [256, 2],
    [0xabcd, 2],
    [65535, 2],
    [0x10000, 3],
    [0x7fffffff, 4],
    [0x80000000, 4],
    [0xfffffffe, 4],
    [0x123456789a, 5],
    [Number.MAX_SAFE_INTEGER, 7],
  ];
  for (const [value, length] of cases) {
    const enc = uint(value, length);
    assert.equal(enc.length, length);
    assert.equal(readUint(enc), value, `${value} on ${length}`);
  }
});

test('uint rejects values that do not fit, negatives and non-integers', () => {
  assert.throws(() => uint(256, 1), RangeError);
  assert.throws(() => uint(0x10000, 2), /65536 does not fit in 2 byte\(s\)/);
  assert.throws(() => uint(2 ** 32, 4), RangeError);
  assert.throws(() => uint(-1, 4), RangeError);
  assert.throws(() => uint(1.5, 2), RangeError);
  assert.throws(() => uint(Number.NaN, 2), RangeError);
  assert.throws(() => uint(1, 0), RangeError);
});

test('readUint with offset and length', () => {
  const b = fromHex('00 12 34 56 78 FF');
  assert.equal(readUint(b), 0x12345678ff);
  assert.equal(readUint(b, 1, 2), 0x1234);
  assert.equal(readUint(b, 3), 0x5678ff);
  assert.equal(readUint(b, 5, 1), 0xff);
  assert.equal(readUint(b, 2, 0), 0);
  assert.equal(readUint(new Uint8Array(0)), 0);
  assert.equal(readUint([0x90, 0x00]), 0x9000);
});

test('ascii encodes one byte a character, Latin-1 included', () => {
  assert.deepEqual(ascii('1PAY.SYS.DDF01'), fromHex('315041592E5359532E4444463031'));
  assert.deepEqual(ascii(''), new Uint8Array(0));
  assert.deepEqual(ascii('\u0000\u00ff'), bytes(0x00, 0xff));
  assert.deepEqual(ascii('é'), bytes(0xe9));
});

test('ascii rejects characters above U+00FF', () => {
  assert.throws(() => ascii('社会'), RangeError);
  assert.throws(() => ascii('ab\u0100'), /not a single-byte character/);
  assert.throws(() => ascii('😀'), RangeError);
});

test('printable shows printable ASCII and dots for the rest', () => {
  assert.equal(printable(ascii('1PAY.SYS.DDF01')), '1PAY.SYS.DDF01');
  assert.equal(printable(bytes(0x41, 0x00, 0x42, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff)), 'A.B. ~...');
  assert.equal(printable(new Uint8Array(0)), '');
  assert.equal(printable([0x7a, 0x68]), 'zh');
});
