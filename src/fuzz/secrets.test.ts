import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ascii, concat, fromHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { personalisedCard } from '../lab/cards.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import type { PbocCardData } from '../sim/apps/pboc-data.ts';
import { type DedicatedFile, allDfs } from '../sim/fs.ts';
import { SecretIndex, cardSecrets, keysetSecrets, publicData, secretsOf } from './secrets.ts';

const FILE = join(PROJECT_ROOT, 'profiles', 'default.json');
const PROFILE = loadProfile(FILE);
const KEYSET = loadKeyset(keysetPath(PROFILE, FILE));
const CARD = await personalisedCard(PROFILE, KEYSET);

test('a key leaks through any 8 consecutive bytes of it, anywhere in the data', () => {
  const index = new SecretIndex();
  const key = fromHex('0123456789ABCDEFFEDCBA9876543210');
  index.addKey(key, 'test key');
  assert.deepEqual(index.find(concat([0x6f, 0x10], key)), { what: 'test key', offset: 2 });
  assert.deepEqual(index.find(concat([1, 2, 3], key.slice(5, 13))), { what: 'test key', offset: 3 });
  assert.equal(index.find(key.slice(0, 7)), undefined, 'seven bytes are not enough');
  assert.equal(index.find(fromHex('0123456789ABCDEE')), undefined);
});

test('a PIN leaks as ASCII, as BCD padded with F and as a plaintext PIN block, not as 3 bare BCD bytes', () => {
  const index = new SecretIndex();
  index.addPin('123456', 'PIN');
  assert.equal(index.find(ascii('x123456'))?.offset, 1);
  assert.ok(index.find(fromHex('00123456FFFFFFFFFF')));
  assert.ok(index.find(fromHex('26123456FFFFFFFF')));
  assert.equal(index.find(fromHex('00123456000000')), undefined);
});

test('patterns found in the card’s public data are dropped; a copy is independent', () => {
  const index = new SecretIndex();
  index.addPin('123456', 'PIN');
  index.addKey(fromHex('0123456789ABCDEFFEDCBA9876543210'), 'key');
  const copy = index.copy();
  index.dropFoundIn([ascii('card number 0123456')]);
  assert.equal(index.find(ascii('123456')), undefined);
  assert.ok(index.find(fromHex('26123456FFFFFFFF')), 'other forms stay');
  assert.ok(copy.find(ascii('123456')), 'the copy keeps it');
});

test('the card’s secrets: every key and PIN of the key set and of the card, its UDKs and ICC key parts', () => {
  const index = new SecretIndex();
  keysetSecrets(index, KEYSET);
  cardSecrets(index, CARD.mf);
  assert.ok(index.find(KEYSET.cardMaster.value));
  assert.ok(index.find(ascii(KEYSET.pins('SSSE')[0]!.value)));
  const adf = allDfs(CARD.mf).find((d) => (d as DedicatedFile & { pboc?: PbocCardData }).pboc) as DedicatedFile & { pboc: PbocCardData };
  assert.ok(index.find(adf.pboc.udk!.mac));
  assert.ok(index.find(adf.pboc.rsa.p!.slice(20, 30)));
  for (const d of allDfs(CARD.mf)) for (const k of d.keys.values()) assert.ok(index.find(k.value), `key ${k.id}`);
  // the ICCID test file of the profile holds 31 32 33 34 35 36: the SSSE PIN in ASCII is public there
  const open = publicData(CARD.mf);
  assert.equal(secretsOf([KEYSET], CARD.mf, open).find(ascii('123456')), undefined);
  assert.ok(secretsOf([KEYSET], CARD.mf, open).find(KEYSET.cardMaster.value));
});
