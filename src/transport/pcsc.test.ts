import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { TransportError } from '../channel/channel.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import { personalisedCard } from '../lab/cards.ts';
import { VPCD_PORT, VpcdCardServer } from '../vpcd/card-server.ts';
import { EventWaits, PcscChannel, leakedPcscWatchers, listReaders, pickReader, releasePcsc, responseLength, waitForCard } from './pcsc.ts';

const readers = [{ name: 'Virtual PCD 00 01' }, { name: 'ACS ACR39U 00 00' }, { name: 'Virtual PCD 00 00' }];

test('a reader is chosen by index in the sorted list, by exact name before a part of one, or the first', () => {
  assert.equal(pickReader(readers, undefined)?.name, 'ACS ACR39U 00 00');
  assert.equal(pickReader(readers, '2')?.name, 'Virtual PCD 00 01');
  assert.equal(pickReader(readers, 'Virtual PCD 00 00')?.name, 'Virtual PCD 00 00');
  assert.equal(pickReader(readers, 'Virtual PCD')?.name, 'Virtual PCD 00 00', 'a part: the first in name order');
  assert.equal(pickReader(readers, 'ACR39U')?.name, 'ACS ACR39U 00 00');
  assert.equal(pickReader(readers, 'Gemalto'), undefined);
  assert.equal(pickReader(readers, '3'), undefined);
  assert.equal(pickReader([], undefined), undefined);
});

test('the response buffer: a short response with its status word, or an extended one for an extended command', () => {
  assert.equal(responseLength(fromHex('00A4040000')), 258, 'case 2, Le 00: 256 bytes and SW1 SW2');
  assert.equal(responseLength(fromHex('00200000')), 258, 'case 1');
  assert.equal(responseLength(fromHex('00A404000E315041592E5359532E444446303100')), 258, 'case 4 short');
  assert.equal(responseLength(fromHex('00B0000000FFFF')), 65538, 'case 2 extended: Le on three bytes');
  assert.equal(responseLength(fromHex('00DA9F7900000100')), 65538, 'case 3 extended: Lc on three bytes');
  assert.equal(responseLength(fromHex('00B00000000000')), 65538, 'extended Le 0000: 65536 bytes');
  assert.equal(responseLength(fromHex('00')), 258, 'a malformed command still gets a buffer');
});

test('event waits: true as soon as the condition holds after an event, false at the deadline, a burst seen whole', async () => {
  const waits = new EventWaits();
  const seen: string[] = [];
  assert.equal(await waits.until(() => true, 0), true, 'already true: no wait');
  assert.equal(await waits.until(() => false, 0), false, 'no time: no wait');
  const started = Date.now();
  const pending = waits.until(() => seen.length >= 2, 5000);
  // two events in one turn of the loop: the waiter looks once both are there
  seen.push('reader 1');
  waits.changed();
  seen.push('reader 2');
  waits.changed();
  assert.equal(await pending, true);
  assert.ok(Date.now() - started < 1000, 'not the deadline');
  assert.equal(waits.size, 0, 'the waiter is gone');
  const late = Date.now();
  assert.equal(await waits.until(() => seen.length > 5, 50), false);
  assert.ok(Date.now() - late >= 45, 'the deadline');
  assert.equal(waits.size, 0);
});

/**
 * Over real PC/SC when this machine runs pcscd with vsmartcard's vpcd and
 * its second slot is free: the reference card served in this process on
 * that slot (port 35964, reader "Virtual PCD 00 01").
 */
function pcscAvailable(): string | undefined {
  try {
    createRequire(import.meta.url)('pcsclite');
  } catch {
    return 'no pcsclite binding';
  }
  try {
    execFileSync('pidof', ['pcscd']);
  } catch {
    return 'pcscd is not running';
  }
  return undefined;
}

const SLOT = 'Virtual PCD 00 01';
const skip = pcscAvailable();

test('over PC/SC: open by event, exchanges, a power cut and the reset that brings the card back, two channels, a clean close', {
  skip,
}, async (t) => {
  const before = await listReaders();
  if (!before.some((r) => r.name === SLOT) || before.find((r) => r.name === SLOT)?.present) {
    t.skip(`the reader "${SLOT}" is not there or holds a card`);
    return;
  }
  const file = join(PROJECT_ROOT, 'profiles', 'default.json');
  const profile = loadProfile(file);
  const card = await personalisedCard(profile, loadKeyset(keysetPath(profile, file)));
  const server = new VpcdCardServer(card, { host: '127.0.0.1', port: VPCD_PORT + 1, reconnectMs: 200 });
  await server.start();
  try {
    assert.equal(await waitForCard(SLOT, true, 5000), true, 'the served card shows in the reader');
    const opened = Date.now();
    const channel = await PcscChannel.open(SLOT, 5000);
    assert.ok(Date.now() - opened < 1000, 'no polling interval');
    assert.equal(channel.description, SLOT);
    assert.equal(toHex(channel.atr), toHex(card.reset()));
    assert.equal(channel.protocol, 'T=0');
    const select = fromHex('00A404000E315041592E5359532E444446303100');
    assert.equal(toHex(await channel.transmit(select)), '611C');
    // a second channel to the same reader in this process: a context of its own, both work
    const second = await PcscChannel.open(SLOT, 2000);
    assert.equal(toHex(await second.transmit(select)), '611C');
    await second.close();
    assert.equal(toHex(await channel.transmit(select)), '611C');
    // a power cut at the first write of VERIFY: the exchange fails, the card stays, a cold reset brings it back
    card.armTear(1, 0x20);
    const torn = await channel.transmit(fromHex('0020000003123456')).then(
      () => 'answered',
      (e: unknown) => e,
    );
    assert.ok(torn instanceof TransportError, `a transport failure, not ${String(torn)}`);
    assert.match(torn.message, /the card stopped answering: 1 byte, no status word/);
    const reset = Date.now();
    assert.equal(toHex(await channel.reset(true)), toHex(card.reset()));
    assert.ok(Date.now() - reset < 1000, 'no wait for a reinsertion');
    assert.equal(toHex(await channel.transmit(select)), '611C');
    await channel.close();
    await assert.rejects(channel.transmit(select), /released/);
    // the next open reuses the context: no new watcher threads, no wait for their first events
    const again = Date.now();
    const third = await PcscChannel.open(SLOT, 2000);
    assert.ok(Date.now() - again < 200, `reopened in ${Date.now() - again} ms`);
    await third.close();
  } finally {
    await server.stop();
    assert.equal(await waitForCard(SLOT, false, 5000), true, 'the card left the reader');
    await releasePcsc();
  }
  assert.equal(leakedPcscWatchers(), 0, 'every watcher of the binding reported its end');
});
