import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCommand } from '../core/apdu.ts';
import { command, mutate, mutateCla, onWire, wellFormed } from './encode.ts';
import { Prng } from './prng.ts';

const CMD = command(0x00, 0xa4, 0x04, 0x00, Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x33), 256);

test('well-formed short and extended encodings decode back to the command', () => {
  assert.deepEqual(decodeCommand(wellFormed(CMD)), CMD);
  const ext = decodeCommand(wellFormed(CMD, true));
  assert.equal(ext.extended, true);
  assert.deepEqual({ ...ext, extended: undefined }, { ...CMD, extended: undefined });
  assert.equal(wellFormed(command(0x80, 0xda, 0x9f, 0x23, new Uint8Array(300))).length, 4 + 3 + 300, 'data over 255 bytes: extended');
});

test('malformed wire forms: truncated and tiny ones are shorter, a mismatching Lc does not decode to the command', () => {
  const r = new Prng(3);
  const full = wellFormed(CMD);
  for (let i = 0; i < 200; i++) {
    assert.ok(onWire(CMD, 'truncated', r).length < wellFormed(CMD, true).length);
    assert.ok(onWire(CMD, 'tiny', r).length < 4);
    assert.ok(onWire(CMD, 'trailing', r).length > full.length);
    const bad = onWire(CMD, 'lc-mismatch', r);
    let same = false;
    try {
      same = decodeCommand(bad).data.length === CMD.data.length;
    } catch {
      same = false;
    }
    assert.ok(!same, 'Lc changed');
  }
  assert.equal(decodeCommand(onWire(CMD, 'le-toggled', r)).ne, undefined, 'Le dropped');
});

test('CLA mutations reach logical channels 1-3 and 4-19, chaining and secure messaging', () => {
  const r = new Prng(5);
  const seen = new Set<number>();
  for (let i = 0; i < 500; i++) seen.add(mutateCla(0x00, r));
  for (const cla of [0x01, 0x02, 0x03, 0x10, 0x04, 0x80]) assert.ok(seen.has(cla), `CLA ${cla.toString(16)}`);
  assert.ok([...seen].some((c) => c >= 0x40 && c <= 0x4f));
});

test('a mutation changes one part of the command and keeps it encodable', () => {
  const r = new Prng(9);
  let changed = 0;
  for (let i = 0; i < 300; i++) {
    const m = mutate(CMD, r);
    if (JSON.stringify(m) !== JSON.stringify(CMD)) changed++;
    assert.doesNotThrow(() => wellFormed(m));
  }
  assert.ok(changed > 250);
});
