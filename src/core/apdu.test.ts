import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, fromHex, toHex } from './bytes.ts';
import {
  ApduFormatError,
  apduCase,
  command,
  decodeCommand,
  decodeResponse,
  encodeCommand,
  encodeResponse,
  formatCommand,
  swOf,
  type CommandApdu,
} from './apdu.ts';

const PSE = fromHex('315041592E5359532E4444463031'); // "1PAY.SYS.DDF01", 14 bytes

function filled(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
}

function throwsFormat(hex: string | Uint8Array, pattern?: RegExp): void {
  const bytes = typeof hex === 'string' ? fromHex(hex) : hex;
  assert.throws(
    () => decodeCommand(bytes),
    (e: unknown) => {
      assert.ok(e instanceof ApduFormatError, `expected ApduFormatError for ${toHex(bytes)}, got ${String(e)}`);
      assert.equal(e.name, 'ApduFormatError');
      if (pattern) assert.match(e.message, pattern);
      return true;
    },
  );
}

/** Decodes, checks the fields, re-encodes and checks the bytes are unchanged. */
function roundTrip(hex: string | Uint8Array, expected: Partial<CommandApdu> & { case: 1 | 2 | 3 | 4 }): CommandApdu {
  const bytes = typeof hex === 'string' ? fromHex(hex) : hex;
  const cmd = decodeCommand(bytes);
  assert.equal(apduCase(cmd), expected.case);
  for (const k of ['cla', 'ins', 'p1', 'p2', 'ne', 'extended'] as const) {
    if (k in expected) assert.equal(cmd[k], expected[k], k);
  }
  if (expected.data) assert.deepEqual(cmd.data, expected.data);
  assert.deepEqual(encodeCommand(cmd), bytes, 're-encoding gives the same bytes');
  return cmd;
}

test('case 1: CLA INS P1 P2', () => {
  const cmd = roundTrip('00 A4 00 00', { case: 1, cla: 0x00, ins: 0xa4, p1: 0x00, p2: 0x00, data: new Uint8Array(0) });
  assert.equal(cmd.ne, undefined);
  assert.equal(cmd.extended, undefined);
  assert.equal(toHex(encodeCommand(command(0x80, 0xca, 0x9f, 0x79))), '80CA9F79');
});

test('case 2S: Le 01..FF and Le 00 = 256', () => {
  roundTrip('00 B0 00 00 10', { case: 2, ne: 16, data: new Uint8Array(0) });
  roundTrip('00 B0 00 00 01', { case: 2, ne: 1 });
  roundTrip('00 B0 00 00 FF', { case: 2, ne: 255 });
  const cmd = roundTrip('00 C0 00 00 00', { case: 2, ne: 256 });
  assert.equal(cmd.extended, undefined);
  assert.equal(toHex(encodeCommand(command(0x00, 0xb2, 0x01, 0x0c, undefined, 256))), '00B2010C00');
  assert.equal(toHex(encodeCommand(command(0x00, 0xb2, 0x01, 0x0c, undefined, 0x20))), '00B2010C20');
});

test('case 3S: Lc 01..FF and data', () => {
  roundTrip(concat(fromHex('00 A4 04 00 0E'), PSE), { case: 3, ne: undefined, data: PSE });
  roundTrip('00 A4 00 00 02 3F00', { case: 3, data: fromHex('3F00') });
  roundTrip('00 A4 00 0C 01 3F', { case: 3, data: fromHex('3F') });
  const max = filled(255);
  roundTrip(concat(fromHex('00 D6 00 00 FF'), max), { case: 3, data: max });
  assert.equal(toHex(encodeCommand(command(0x00, 0xa4, 0x04, 0x00, PSE))), `00A404000E${toHex(PSE)}`);
});

test('case 4S: Lc data Le, Le 00 = 256', () => {
  roundTrip(concat(fromHex('00 A4 04 00 0E'), PSE, [0x00]), { case: 4, data: PSE, ne: 256 });
  roundTrip('00 A4 00 00 02 3F00 1C', { case: 4, data: fromHex('3F00'), ne: 0x1c });
  const max = filled(255);
  roundTrip(concat(fromHex('80 A8 00 00 FF'), max, [0xff]), { case: 4, cla: 0x80, ins: 0xa8, data: max, ne: 255 });
  assert.equal(toHex(encodeCommand(command(0x00, 0xa4, 0x04, 0x00, PSE, 256))), `00A404000E${toHex(PSE)}00`);
});

test('case 2E: 00 Le1 Le2, 0000 = 65536', () => {
  roundTrip('00 B0 00 00 00 01 00', { case: 2, ne: 256, extended: true, data: new Uint8Array(0) });
  roundTrip('00 B0 00 00 00 01 01', { case: 2, ne: 257, extended: true });
  roundTrip('00 B0 00 00 00 00 01', { case: 2, ne: 1, extended: true });
  roundTrip('00 B0 00 00 00 FF FF', { case: 2, ne: 65535, extended: true });
  roundTrip('00 B0 00 00 00 00 00', { case: 2, ne: 65536, extended: true });
});

test('case 3E: 00 Lc1 Lc2 data', () => {
  roundTrip('00 D6 00 00 00 00 01 AA', { case: 3, data: fromHex('AA'), extended: true });
  const d300 = filled(300);
  roundTrip(concat(fromHex('00 D6 00 00 00 01 2C'), d300), { case: 3, data: d300, extended: true, ne: undefined });
  const d65535 = filled(65535);
  roundTrip(concat(fromHex('00 D6 00 00 00 FF FF'), d65535), { case: 3, data: d65535, extended: true });
});

test('case 4E: 00 Lc1 Lc2 data Le1 Le2', () => {
  roundTrip('00 2A 9E 9A 00 00 02 1122 01 00', { case: 4, data: fromHex('1122'), ne: 256, extended: true });
  roundTrip('00 2A 9E 9A 00 00 02 1122 00 00', { case: 4, data: fromHex('1122'), ne: 65536, extended: true });
  const d256 = filled(256);
  roundTrip(concat(fromHex('00 2A 80 86 00 01 00'), d256, [0x00, 0x10]), { case: 4, data: d256, ne: 16, extended: true });
});

test('extended encoding is chosen automatically when Nc > 255 or Ne > 256', () => {
  // Nc = 256 without Le: case 3E
  const d256 = filled(256);
  assert.equal(toHex(encodeCommand(command(0, 0xd6, 0, 0, d256)).subarray(0, 7)), '00D60000000100');
  assert.equal(encodeCommand(command(0, 0xd6, 0, 0, d256)).length, 7 + 256);
  // Nc = 256 with a small Le: case 4E, Le on two bytes
  const e4 = encodeCommand(command(0, 0x2a, 0x80, 0x86, d256, 5));
  assert.equal(e4.length, 7 + 256 + 2);
  assert.equal(toHex(e4.subarray(-2)), '0005');
  // Ne = 257 without data: case 2E
  assert.equal(toHex(encodeCommand(command(0, 0xb0, 0, 0, undefined, 257))), '00B00000000101');
  // Ne = 65536: 0000
  assert.equal(toHex(encodeCommand(command(0, 0xb0, 0, 0, undefined, 65536))), '00B00000000000');
  // Ne = 257 with short data: case 4E
  assert.equal(toHex(encodeCommand(command(0, 0x2a, 0x9e, 0x9a, fromHex('AABB'), 257))), '002A9E9A000002AABB0101');
  assert.equal(toHex(encodeCommand(command(0, 0x2a, 0x9e, 0x9a, fromHex('AABB'), 65536))), '002A9E9A000002AABB0000');
  // at the limits the short form is still used
  assert.equal(encodeCommand(command(0, 0xd6, 0, 0, filled(255))).length, 5 + 255);
  assert.equal(toHex(encodeCommand(command(0, 0xb0, 0, 0, undefined, 256))), '00B0000000');
});

test('extended: true forces extended length even for short sizes', () => {
  const ext = (cmd: CommandApdu) => toHex(encodeCommand({ ...cmd, extended: true }));
  assert.equal(ext(command(0, 0xb0, 0, 0, undefined, 16)), '00B00000000010');
  assert.equal(ext(command(0, 0xb0, 0, 0, undefined, 256)), '00B00000000100');
  assert.equal(ext(command(0, 0xd6, 0, 0, fromHex('AA'))), '00D60000000001AA');
  assert.equal(ext(command(0, 0x2a, 0, 0, fromHex('AA'), 256)), '002A0000000001AA0100');
  assert.equal(ext(command(0, 0xa4, 0, 0)), '00A40000', 'case 1 has no length field to extend');
});

test('encodeCommand validates header bytes, Nc and Ne', () => {
  const bad: CommandApdu[] = [
    command(0x100, 0xa4, 0, 0),
    command(0, -1, 0, 0),
    command(0, 0xa4, 1.5, 0),
    command(0, 0xa4, 0, 256),
    command(0, 0xb0, 0, 0, undefined, 0),
    command(0, 0xb0, 0, 0, undefined, 65537),
    command(0, 0xb0, 0, 0, undefined, 2.5),
    command(0, 0xd6, 0, 0, new Uint8Array(65536)),
  ];
  for (const cmd of bad) assert.throws(() => encodeCommand(cmd), ApduFormatError, formatCommand(cmd));
  assert.throws(() => encodeCommand(command(0, 0xb0, 0, 0, undefined, 0)), /Ne must be 1\.\.65536, got 0/);
  assert.throws(() => encodeCommand(command(0, 0xa4, 0, 0x1ff)), /P2 must be a byte/);
});

test('round trips of commands built with command()', () => {
  const commands: CommandApdu[] = [
    command(0x00, 0xa4, 0x00, 0x00),
    command(0x00, 0xb0, 0x82, 0x00, undefined, 1),
    command(0x00, 0xb0, 0x82, 0x00, undefined, 256),
    command(0x80, 0x50, 0x01, 0x02, filled(11)),
    command(0x84, 0x1e, 0x00, 0x00, filled(8), 4),
    command(0x00, 0xb0, 0x00, 0x00, undefined, 257),
    command(0x00, 0xb0, 0x00, 0x00, undefined, 65536),
    command(0x00, 0xd6, 0x00, 0x00, filled(1000)),
    command(0x00, 0x2a, 0x9e, 0x9a, filled(300), 65536),
    command(0x00, 0x2a, 0x9e, 0x9a, filled(1), 1000),
  ];
  for (const cmd of commands) {
    const decoded = decodeCommand(encodeCommand(cmd));
    assert.equal(decoded.cla, cmd.cla);
    assert.equal(decoded.ins, cmd.ins);
    assert.equal(decoded.p1, cmd.p1);
    assert.equal(decoded.p2, cmd.p2);
    assert.deepEqual(decoded.data, cmd.data);
    assert.equal(decoded.ne, cmd.ne);
    assert.equal(apduCase(decoded), apduCase(cmd));
    assert.deepEqual(encodeCommand(decoded), encodeCommand(cmd));
  }
});

test('decoded data does not alias the input buffer', () => {
  const bytes = fromHex('00 A4 00 00 02 3F00');
  const cmd = decodeCommand(bytes);
  bytes[5] = 0xff;
  assert.equal(toHex(cmd.data), '3F00');
});

test('malformed: fewer than 4 bytes', () => {
  throwsFormat('', /at least 4 bytes, got 0/);
  throwsFormat('00', /got 1/);
  throwsFormat('00 A4', /got 2/);
  throwsFormat('00 A4 04', /got 3/);
});

test('malformed: short Lc longer or shorter than the data', () => {
  throwsFormat('00 A4 04 00 0E 3150', /Lc 14 does not match the 2 bytes/); // data too short
  throwsFormat('00 A4 00 00 02 3F', /Lc 2 does not match/); // one byte short
  throwsFormat('00 A4 00 00 01 3F 00 00', /Lc 1 does not match the 3 bytes/); // two bytes too many
  throwsFormat('00 A4 00 00 02 3F00 00 00', /Lc 2/); // Le on two bytes in a short APDU
  throwsFormat(concat(fromHex('00 D6 00 00 FF'), filled(254)));
  throwsFormat(concat(fromHex('00 D6 00 00 FF'), filled(257)));
});

test('malformed: 6-byte 00 form', () => {
  throwsFormat('00 B0 00 00 00 10', /6 bytes is no valid APDU form/);
  throwsFormat('00 B0 00 00 00 00');
});

test('malformed: extended Lc 0000 with data', () => {
  throwsFormat('00 D6 00 00 00 00 00 AA', /extended Lc 0000/);
  throwsFormat('00 D6 00 00 00 00 00 AA BB CC');
});

test('malformed: extended Lc not matching the data', () => {
  throwsFormat('00 D6 00 00 00 00 02 AA', /extended Lc 2 does not match the 1 bytes/);
  throwsFormat('00 D6 00 00 00 00 01 AA BB', /extended Lc 1 does not match the 2 bytes/); // one byte of Le
  throwsFormat('00 D6 00 00 00 00 01 AA BB CC DD', /extended Lc 1/); // three bytes of Le
  throwsFormat(concat(fromHex('00 D6 00 00 00 01 2C'), filled(299)));
  throwsFormat(concat(fromHex('00 D6 00 00 00 01 2C'), filled(301)));
});

test('apduCase by fields', () => {
  assert.equal(apduCase({ data: new Uint8Array(0) }), 1);
  assert.equal(apduCase({ data: new Uint8Array(0), ne: 256 }), 2);
  assert.equal(apduCase({ data: fromHex('3F00') }), 3);
  assert.equal(apduCase({ data: fromHex('3F00'), ne: 1 }), 4);
  assert.equal(apduCase(decodeCommand(fromHex('00 B0 00 00 00 00 00'))), 2);
  assert.equal(apduCase(decodeCommand(fromHex('00 D6 00 00 00 00 01 AA'))), 3);
});

test('decodeResponse and encodeResponse', () => {
  const r = decodeResponse(fromHex('6F 00 90 00'));
  assert.equal(toHex(r.data), '6F00');
  assert.equal(r.sw, 0x9000);
  const sw = decodeResponse(fromHex('6A 82'));
  assert.equal(sw.data.length, 0);
  assert.equal(sw.sw, 0x6a82);
  assert.equal(toHex(encodeResponse({ data: fromHex('0102'), sw: 0x6282 })), '01026282');
  assert.equal(toHex(encodeResponse({ data: new Uint8Array(0), sw: 0x6114 })), '6114');
  for (const hex of ['9000', '6A82', '010203049000', '61 10', 'FF FF FF 6C 00']) {
    assert.equal(toHex(encodeResponse(decodeResponse(fromHex(hex)))), toHex(fromHex(hex)));
  }
  assert.throws(() => decodeResponse(fromHex('90')), ApduFormatError);
  assert.throws(() => decodeResponse(new Uint8Array(0)), /at least SW1 SW2, got 0 byte/);
});

test('swOf reads the last two bytes', () => {
  assert.equal(swOf(fromHex('9000')), 0x9000);
  assert.equal(swOf(fromHex('01 02 03 6C 10')), 0x6c10);
  assert.equal(swOf(fromHex('00 00')), 0x0000);
  assert.throws(() => swOf(fromHex('90')), ApduFormatError);
  assert.throws(() => swOf(new Uint8Array(0)), ApduFormatError);
});

test('formatCommand', () => {
  assert.equal(formatCommand(command(0x00, 0xa4, 0x00, 0x0c)), '00 A4 00 0C');
  assert.equal(formatCommand(command(0x00, 0xb0, 0x82, 0x00, undefined, 256)), '00 B0 82 00 | Le=256');
  assert.equal(formatCommand(command(0x00, 0xa4, 0x04, 0x00, PSE)), `00 A4 04 00 | Lc=14 | ${toHex(PSE)}`);
  assert.equal(formatCommand(command(0x00, 0xa4, 0x04, 0x00, PSE, 256)), `00 A4 04 00 | Lc=14 | ${toHex(PSE)} | Le=256`);
  assert.equal(formatCommand(decodeCommand(fromHex('00 B0 00 00 00 00 00'))), '00 B0 00 00 | Le=65536');
});
