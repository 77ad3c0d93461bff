import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fromHex } from '../core/bytes.ts';
import { decodeCommand } from '../core/apdu.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { personalisedCard } from '../lab/cards.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import type { PbocCardData } from '../sim/apps/pboc-data.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { type DedicatedFile, allDfs, childByFid } from '../sim/fs.ts';
import { type Exchange, type InvariantName, OracleMemory, checkReset, checkResponse, checkState, snapshot } from './invariants.ts';

const FILE = join(PROJECT_ROOT, 'profiles', 'default.json');
const PROFILE = loadProfile(FILE);
const TEMPLATE = await personalisedCard(PROFILE, loadKeyset(keysetPath(PROFILE, FILE)));
const ssse = (c: SimulatedCard) => childByFid(c.mf, 0xddf1) as DedicatedFile;
const adf = (c: SimulatedCard) =>
  allDfs(c.mf).find((d) => (d as DedicatedFile & { pboc?: PbocCardData }).pboc) as DedicatedFile & { pboc: PbocCardData };

function exchange(hex: string, response: string, protocol: 'T=0' | 'T=1' = 'T=0'): Exchange {
  const apdu = fromHex(hex);
  return { apdu, cmd: decodeCommand(apdu), response: fromHex(response), protocol };
}

/**
 * Sends `hex` to the card and judges it; `meddle` changes the card's state
 * behind the command's back (what a defective COS would do), after the snapshot before it.
 */
function judge(c: SimulatedCard, hex: string, meddle: () => void = () => {}, memory = new OracleMemory()): InvariantName | undefined {
  const before = snapshot(c);
  meddle();
  const apdu = fromHex(hex);
  const response = c.process(apdu);
  return checkState(before, snapshot(c), { apdu, cmd: decodeCommand(apdu), response, protocol: c.protocol }, memory)?.invariant;
}

test('response: status words, data with them, Ne, T=0 transport, internal faults', () => {
  assert.equal(checkResponse(exchange('00A4000002', '6F009000')), undefined);
  assert.equal(checkResponse(exchange('00A40000023F00', '6F00'))?.invariant, 'internal-fault');
  assert.equal(checkResponse({ ...exchange('00A40000023F00', '6A82'), fault: new Error('boom') })?.invariant, 'internal-fault');
  assert.equal(checkResponse(exchange('00A40000023F00', '6A'))?.invariant, 'response');
  assert.equal(checkResponse(exchange('00A40000023F00', '12346A82'))?.invariant, 'response', 'data with an error');
  assert.equal(checkResponse(exchange('00A40000023F00', '6A8F'))?.invariant, 'response', 'no such status word');
  assert.equal(checkResponse(exchange('00B0000002', '1122339000'))?.invariant, 'response', 'more than Ne');
  assert.equal(checkResponse(exchange('00A40000023F0000', '6F009000'))?.invariant, 'response', 'T=0: case 4 with data');
  assert.equal(checkResponse(exchange('00A40000023F0000', '6F009000', 'T=1')), undefined);
  assert.equal(checkResponse({ apdu: fromHex('00A4'), response: fromHex('12349000'), protocol: 'T=1' })?.invariant, 'response');
});

test('a clean card’s VERIFY, wrong then right, and EXTERNAL AUTHENTICATE break nothing', () => {
  const c = TEMPLATE.clone();
  assert.equal(judge(c, '00A4000C02DDF1'), undefined);
  assert.equal(judge(c, '0020000003123457'), undefined);
  assert.equal(judge(c, '0020000003123456'), undefined);
  assert.equal(judge(c, '00200000'), undefined);
});

test('try-counter: a counter that rises without its reset, or falls without a wrong attempt', () => {
  const c = TEMPLATE.clone();
  const pin = ssse(c).pins.get(0)!;
  judge(c, '00A4000C02DDF1');
  judge(c, '0020000003123457');
  assert.equal(
    judge(c, '0084000008', () => (pin.tries = 3)),
    'try-counter',
  );
  assert.equal(
    judge(c, '0084000008', () => (pin.tries = 1)),
    'try-counter',
  );
  assert.equal(
    judge(c, '0020000003123457', () => (pin.tries = 3)),
    'try-counter',
    '63C2 after 3 tries',
  );
});

test('block: a blocked PIN that comes back, an application unblocked or working while blocked', () => {
  const c = TEMPLATE.clone();
  const pin = ssse(c).pins.get(0)!;
  judge(c, '00A4000C02DDF1');
  pin.tries = 0;
  assert.equal(
    judge(c, '0084000008', () => (pin.tries = 3)),
    'block',
  );
  const d = TEMPLATE.clone();
  ssse(d).blocked = 'temporary';
  assert.equal(
    judge(d, '00A4000C02DDF1', () => (ssse(d).blocked = undefined)),
    'block',
  );
  ssse(d).blocked = 'temporary';
  assert.equal(judge(d, '00B0850004'), undefined, 'refused: 6A81');
  // a COS that reads a record of the blocked application all the same
  const before = snapshot(d);
  ssse(d).blocked = undefined;
  const apdu = fromHex('00B2012C12');
  const response = d.process(apdu);
  assert.equal(response.length, 0x12 + 2);
  ssse(d).blocked = 'temporary';
  assert.equal(
    checkState(before, snapshot(d), { apdu, cmd: decodeCommand(apdu), response, protocol: 'T=0' }, new OracleMemory())?.invariant,
    'block',
  );
  ssse(d).blocked = 'permanent';
  assert.equal(
    judge(d, '0084000008', () => (ssse(d).blocked = 'temporary')),
    'block',
  );
});

test('firewall: a verified PIN carried into the other environment', () => {
  const c = TEMPLATE.clone();
  judge(c, '00A4000C02DDF1');
  assert.equal(judge(c, '0020000003123456'), undefined);
  assert.equal(judge(c, '00A4000C02DDF2'), undefined);
  judge(c, '00A4000C02DDF1');
  judge(c, '0020000003123456');
  const before = snapshot(c);
  c.process(fromHex('00A4000C02DDF2'));
  c.context.security.pins.add(0);
  const apdu = fromHex('00A4000C02DDF2');
  assert.equal(
    checkState(before, snapshot(c), { apdu, cmd: decodeCommand(apdu), response: fromHex('9000'), protocol: 'T=0' }, new OracleMemory())
      ?.invariant,
    'firewall',
  );
});

test('authentication: a PIN or key that counts without its secret; a reset that keeps them', () => {
  const c = TEMPLATE.clone();
  judge(c, '00A4000C02DDF1');
  assert.equal(
    judge(c, '0084000008', () => c.context.security.pins.add(0)),
    'authentication',
  );
  const d = TEMPLATE.clone();
  judge(d, '00A4000C02DDF1');
  assert.equal(
    judge(d, '0084000008', () => d.context.security.keys.add(1)),
    'authentication',
  );
  d.reset();
  assert.equal(checkReset(snapshot(d)), undefined);
  d.context.security.keys.add(0);
  assert.equal(checkReset(snapshot(d))?.invariant, 'authentication');
});

test('atc: the transaction counter goes down or jumps', () => {
  const c = TEMPLATE.clone();
  judge(c, '00A4040008A000000333010101');
  const data = adf(c).pboc;
  assert.equal(
    judge(c, '80CA9F3600', () => (data.atc += 2)),
    'atc',
  );
  assert.equal(
    judge(c, '80CA9F3600', () => (data.atc -= 1)),
    'atc',
  );
});
