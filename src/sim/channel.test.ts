import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascii, fromHex, toHex } from '../core/bytes.ts';
import { CardSession } from '../channel/session.ts';
import { TransportError } from '../channel/channel.ts';
import { DEFAULT_PROFILE, keysetPath, loadProfile } from '../lab/profile.ts';
import { personalisedCard } from '../lab/cards.ts';
import { loadKeyset } from '../model/keyset.ts';
import { DEFAULT_BEHAVIOUR } from '../model/behaviour.ts';
import { leRule } from './card.ts';
import { SimulatorChannel } from './channel.ts';

const PROFILE = loadProfile(DEFAULT_PROFILE);
const TEMPLATE = await personalisedCard(PROFILE, loadKeyset(keysetPath(PROFILE, DEFAULT_PROFILE)));
const PSE = ascii('1PAY.SYS.DDF01');

function session(): CardSession {
  return new CardSession(new SimulatorChannel(TEMPLATE.clone(), 'test'));
}

test('GET CHALLENGE through the recorded session: 8 fresh bytes each time, over several refills of the random pool', async () => {
  const s = session();
  const seen = new Set<string>();
  for (let i = 0; i < 1500; i++) {
    const r = await s.send(fromHex('0084000008'));
    assert.equal(r.sw, 0x9000);
    assert.equal(r.data.length, 8);
    seen.add(toHex(r.data));
  }
  assert.equal(seen.size, 1500);
  assert.equal(s.recorder.exchanges.length, 1500);
  const four = await s.send(fromHex('0084000004'));
  assert.equal(four.data.length, 4);
});

test('the recorder keeps its own copies of what the session and the card exchanged', async () => {
  const s = session();
  const command = fromHex('00A404000E315041592E5359532E444446303100');
  const r = await s.send(command);
  assert.equal(r.sw, 0x9000);
  command.fill(0);
  r.data.fill(0);
  const [first, second] = s.recorder.exchanges;
  assert.equal(toHex(first!.command), '00A404000E315041592E5359532E444446303100');
  assert.equal(toHex(first!.response), '611C');
  assert.equal(toHex(second!.command), '00C000001C');
  assert.match(toHex(second!.response), /^6F1A840E315041592E5359532E4444463031.*9000$/);
  assert.ok(first!.durationMs >= 0 && second!.at >= first!.at);
});

test('READ RECORD with Le = 00: 6Cxx, then the same command with the right Le, both recorded', async () => {
  const s = session();
  await s.selectName(PSE);
  const mark = s.recorder.mark();
  const r = await s.readRecord(1, { sfi: 1 });
  assert.equal(r.sw, 0x9000);
  const exchanges = s.recorder.since(mark);
  assert.deepEqual(
    exchanges.map((x) => [toHex(x.command), toHex(x.response.slice(-2))]),
    [
      ['00B2010C00', `6C${toHex([r.data.length])}`],
      [`00B2010C${toHex([r.data.length])}`, '9000'],
    ],
  );
  const exact = await s.readRecord(1, { sfi: 1, le: r.data.length });
  assert.equal(toHex(exact.data), toHex(r.data));
  const missing = await s.readRecord(1, { sfi: 5 });
  assert.equal(missing.sw, 0x6a82);
  assert.equal(missing.data.length, 0);
});

test('a released simulator refuses to transmit, and the recorder logs the failure', async () => {
  const channel = new SimulatorChannel(TEMPLATE.clone(), 'test');
  const s = new CardSession(channel);
  await channel.close();
  await assert.rejects(s.send(fromHex('0084000008')), TransportError);
  const [x] = s.recorder.exchanges;
  assert.equal(x!.response.length, 0);
  assert.match(x!.error ?? '', /released/);
});

test('Le rules: exact, Le = 00, short and long Le, extended Le as a maximum', () => {
  const data = fromHex('0102030405');
  const b = DEFAULT_BEHAVIOUR;
  assert.equal(toHex(leRule(5, false, data, 0x9000, b)), '01020304059000');
  assert.equal(toHex(leRule(3, false, data, 0x9000, b)), '6C05');
  assert.equal(toHex(leRule(3, true, data, 0x9000, b)), '0102039000');
  assert.equal(toHex(leRule(300, true, data, 0x6283, b)), '01020304056283');
  assert.equal(toHex(leRule(256, false, data, 0x9000, { ...b, leZero: 'return-all' })), '01020304059000');
  assert.equal(toHex(leRule(256, false, data, 0x9000, { ...b, leZero: '6Cxx' })), '6C05');
  assert.equal(toHex(leRule(9, false, data, 0x9000, { ...b, wrongLe: 'lenient' })), '01020304059000');
  assert.equal(toHex(leRule(9, false, data, 0x9000, { ...b, wrongLe: '6Cxx' })), '6C05');
  assert.equal(toHex(leRule(256, false, new Uint8Array(300), 0x9000, b)), '6C00');
});
