import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascii, fromHex, toHex } from '../core/bytes.ts';
import { type Tlv, parseTlv } from '../core/tlv.ts';
import { decodeAccess } from '../sim/commands/management.ts';
import { type Access, dfFcp, efFcp, encodeAccess } from './fcp.ts';

/** The children of the single 62 template, as [tag hex, value hex]. */
function template(fcp: Uint8Array): [string, string][] {
  const top = parseTlv(fcp);
  assert.equal(top.length, 1, 'one template');
  const t = top[0]!;
  assert.equal(t.tag, 0x62, 'FCP template 62');
  return (t.children ?? []).map((c: Tlv) => [c.tag.toString(16).toUpperCase(), toHex(c.value)]);
}

// ---------------------------------------------------------------- access conditions

test('encodeAccess: type byte, PIN id, key id per condition', () => {
  const cases: [Access, string][] = [
    ['always', '000000'],
    ['never', 'FF0000'],
    [{ key: 1 }, '010001'],
    [{ key: 0x0a }, '01000A'],
    [{ pin: 0 }, '020000'],
    [{ pin: 0x80 }, '028000'],
    [{ pin: 0x80, key: 3, mode: 'or' }, '038003'],
    [{ pin: 1, key: 2, mode: 'and' }, '040102'],
  ];
  for (const [ac, hex] of cases) assert.equal(toHex(encodeAccess(ac)), hex, JSON.stringify(ac));
});

test('the card decodes every access condition the builder encodes', () => {
  const all: Access[] = ['always', 'never', { key: 7 }, { pin: 0x80 }, { pin: 0, key: 1, mode: 'or' }, { pin: 2, key: 9, mode: 'and' }];
  for (const ac of all) assert.deepEqual(decodeAccess(new Uint8Array(encodeAccess(ac)), 0), ac, JSON.stringify(ac));
});

// ---------------------------------------------------------------- DF

test('dfFcp: 82 38, 83 FID, 84 name, A5 FCI, nothing else', () => {
  const fci = fromHex('6F1A840E315041592E5359532E4444463031A5088801015F2D027A68');
  const fcp = dfFcp({ fid: 0xddf2, name: ascii('1PAY.SYS.DDF01'), fci });
  assert.deepEqual(template(fcp), [
    ['82', '38'],
    ['83', 'DDF2'],
    ['84', toHex(ascii('1PAY.SYS.DDF01'))],
    ['A5', toHex(fci)],
  ]);
});

test('dfFcp without name and FCI has only 82 and 83', () => {
  assert.equal(toHex(dfFcp({ fid: 0xdf01 })), '6207820138' + '8302DF01');
});

// ---------------------------------------------------------------- EF

test('efFcp transparent: descriptor 01, 83 FID, 80 size, 88 SFI << 3, 86 read ‖ update', () => {
  const fcp = efFcp({ fid: 0xef0a, sfi: 10, structure: 'transparent', size: 32, read: 'always', update: { key: 1 } });
  assert.deepEqual(template(fcp), [
    ['82', '01'],
    ['83', 'EF0A'],
    ['80', '0020'],
    ['88', '50'],
    ['86', '000000' + '010001'],
  ]);
});

test('efFcp transparent: size on 2 bytes, no 88 without an SFI, size 0 by default', () => {
  const fcp = efFcp({ fid: 0x0015, structure: 'transparent', size: 0x0123, read: 'never', update: 'never' });
  assert.deepEqual(template(fcp), [
    ['82', '01'],
    ['83', '0015'],
    ['80', '0123'],
    ['86', 'FF0000FF0000'],
  ]);
  const none = template(efFcp({ fid: 0x0015, structure: 'transparent', read: 'always', update: 'always' }));
  assert.deepEqual(
    none.find(([t]) => t === '80'),
    ['80', '0000'],
  );
});

test('efFcp record EFs: descriptor per structure ‖ 21 00 ‖ record length ‖ max records; no 80', () => {
  const cases = [
    ['linear-fixed', '02'],
    ['linear-variable', '04'],
    ['cyclic', '06'],
  ] as const;
  for (const [structure, d] of cases) {
    const fcp = efFcp({
      fid: 0xef05,
      sfi: 5,
      structure,
      recordLength: 0x12,
      maxRecords: 7,
      read: { pin: 0 },
      update: { pin: 0, key: 3, mode: 'and' },
    });
    assert.deepEqual(
      template(fcp),
      [
        ['82', `${d}21001207`],
        ['83', 'EF05'],
        ['88', '28'],
        ['86', '020000' + '040003'],
      ],
      structure,
    );
  }
});

test('efFcp record EF defaults: record length FF, max records FE', () => {
  const [desc] = template(efFcp({ fid: 0x0016, structure: 'linear-fixed', read: 'always', update: 'never' }));
  assert.deepEqual(desc, ['82', '022100FFFE']);
});

test('efFcp SFI 30 is F0 in tag 88; the template length is right for the whole FCP', () => {
  const fcp = efFcp({
    fid: 0x0001,
    sfi: 30,
    structure: 'cyclic',
    recordLength: 4,
    maxRecords: 2,
    read: { pin: 1, key: 2, mode: 'or' },
    update: { key: 2 },
  });
  const t = template(fcp);
  assert.deepEqual(
    t.find(([tag]) => tag === '88'),
    ['88', 'F0'],
  );
  assert.deepEqual(
    t.find(([tag]) => tag === '86'),
    ['86', '030102010002'],
  );
  assert.equal(fcp[0], 0x62);
  assert.equal(fcp[1], fcp.length - 2);
});
