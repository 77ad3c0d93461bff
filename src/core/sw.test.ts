import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SW, describeSw, isError, isSuccess, isWarning, parseSw, sw61, sw63C, sw6C, swHex, swOfResponse } from './sw.ts';

test('swHex and parseSw', () => {
  assert.equal(swHex(0x9000), '9000');
  assert.equal(swHex(0x6a82), '6A82');
  assert.equal(swHex(0x0001), '0001');
  assert.throws(() => swHex(0x10000), RangeError);
  assert.equal(parseSw('6A82'), 0x6a82);
  assert.equal(parseSw('6a 82'), 0x6a82);
  assert.equal(parseSw('9000'), SW.OK);
  for (const bad of ['6A8', 'XYZW', '', '90', '900000']) {
    assert.throws(() => parseSw(bad), RangeError, bad);
  }
});

test('swOfResponse takes the last two bytes', () => {
  assert.equal(swOfResponse(Uint8Array.of(0x01, 0x02, 0x90, 0x00)), 0x9000);
  assert.equal(swOfResponse([0x6a, 0x82]), 0x6a82);
  assert.throws(() => swOfResponse([0x90]), RangeError);
});

test("'61XX' bytes still available", () => {
  assert.equal(sw61(0x10), 0x6110);
  assert.equal(sw61(256), 0x6100);
  assert.throws(() => sw61(257), RangeError);
  const d = describeSw(sw61(0x1c));
  assert.deepEqual(d, {
    sw: 0x611c,
    hex: '611C',
    meaning: '28 bytes still available (use GET RESPONSE)',
    category: 'success',
    known: true,
  });
  assert.match(describeSw(0x6100).meaning, /^256 bytes/);
});

test("'6CXX' wrong Le", () => {
  assert.equal(sw6C(0x20), 0x6c20);
  assert.equal(sw6C(256), 0x6c00);
  assert.throws(() => sw6C(-1), RangeError);
  const d = describeSw(sw6C(0x20));
  assert.equal(d.meaning, 'wrong Le; exact length is 32');
  assert.equal(d.category, 'checking-error');
});

test("'63CX' verification failed with counter", () => {
  assert.equal(sw63C(3), 0x63c3);
  assert.equal(sw63C(0), 0x63c0);
  assert.throws(() => sw63C(16), RangeError);
  assert.throws(() => sw63C(1.5), RangeError);
  const d = describeSw(0x63c2);
  assert.equal(d.meaning, 'verification failed, 2 tries left');
  assert.equal(d.category, 'warning');
  assert.equal(describeSw(0x63c0).meaning, 'verification failed, 0 tries left');
});

test('fixed status words', () => {
  const cases: [number, string, string][] = [
    [SW.OK, 'normal processing', 'success'],
    [SW.END_OF_FILE, 'end of file/record reached before reading Le bytes', 'warning'],
    [0x6283, 'selected file deactivated (invalidated)', 'warning'],
    [0x6300, 'authentication failed', 'warning'],
    [SW.MEMORY_FAILURE, 'memory failure', 'execution-error'],
    [SW.WRONG_LENGTH, 'wrong length', 'checking-error'],
    [SW.SECURITY_NOT_SATISFIED, 'security status not satisfied', 'checking-error'],
    [SW.AUTH_BLOCKED, 'authentication method blocked', 'checking-error'],
    [SW.SM_INCORRECT, 'SM data objects incorrect (wrong MAC)', 'checking-error'],
    [SW.FILE_NOT_FOUND, 'file or application not found', 'checking-error'],
    [SW.REF_DATA_NOT_FOUND, 'referenced data (key) not found', 'checking-error'],
    [SW.INS_NOT_SUPPORTED, 'INS not supported', 'checking-error'],
    [SW.CLA_NOT_SUPPORTED, 'CLA not supported', 'checking-error'],
    [SW.APP_PERMANENTLY_BLOCKED, 'application permanently blocked', 'checking-error'],
    [0x9401, 'insufficient funds (e-purse)', 'checking-error'],
    [0x9406, 'required MAC not available', 'checking-error'],
  ];
  for (const [sw, meaning, category] of cases) {
    const d = describeSw(sw);
    assert.equal(d.meaning, meaning, swHex(sw));
    assert.equal(d.category, category, swHex(sw));
    assert.equal(d.known, true, swHex(sw));
    assert.equal(d.hex, swHex(sw));
  }
});

test('SW constants have the ISO values', () => {
  assert.equal(SW.OK, 0x9000);
  assert.equal(SW.INCOMPATIBLE_FILE_STRUCTURE, 0x6981);
  assert.equal(SW.CONDITIONS_NOT_SATISFIED, 0x6985);
  assert.equal(SW.INCORRECT_P1P2, 0x6a86);
  assert.equal(SW.WRONG_P1P2, 0x6b00);
  assert.equal(SW.NO_PRECISE_DIAGNOSIS, 0x6f00);
  // every named constant is in the catalogue
  for (const [name, sw] of Object.entries(SW)) assert.equal(describeSw(sw).known, true, name);
});

test('unknown words are classified by SW1', () => {
  const cases: [number, string][] = [
    [0x6299, 'warning'],
    [0x6355, 'warning'],
    [0x6412, 'execution-error'],
    [0x6599, 'execution-error'],
    [0x6601, 'execution-error'],
    [0x6712, 'checking-error'],
    [0x6999, 'checking-error'],
    [0x6aff, 'checking-error'],
    [0x6f12, 'checking-error'],
    [0x9123, 'checking-error'],
    [0x1234, 'checking-error'],
  ];
  for (const [sw, category] of cases) {
    const d = describeSw(sw);
    assert.equal(d.category, category, swHex(sw));
    assert.equal(d.known, false, swHex(sw));
    assert.ok(d.meaning.length > 0);
  }
  assert.match(describeSw(0x9123).meaning, /proprietary/);
  assert.throws(() => describeSw(0x10000), RangeError);
});

test('isSuccess / isWarning / isError', () => {
  assert.ok(isSuccess(0x9000));
  assert.ok(isSuccess(0x6110));
  assert.ok(!isSuccess(0x6282));
  assert.ok(!isSuccess(0x9001));
  assert.ok(isWarning(0x6282));
  assert.ok(isWarning(0x63c1));
  assert.ok(!isWarning(0x9000));
  assert.ok(!isWarning(0x6a82));
  assert.ok(isError(0x6a82));
  assert.ok(!isError(0x9000));
  assert.ok(!isError(0x6283));
});
