import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Ics, icsExclusions } from './ics.ts';

const FULL: Ics = {
  id: 'full',
  vendor: 'v',
  product: 'p',
  specVersion: '3.00',
  interfaces: ['contact', 'contactless'],
  suites: ['3des', 'sm4'],
  applications: { ssse: true, pboc: true },
  options: { keyInfo: true },
  signedOffBy: { name: 'n', date: '2026-12-01' },
};
const IDS = [
  'CARD-SSSE-PIN-01',
  'CARD-PBOC-AC-01',
  'CARD-PBOC-SM-01',
  'CARD-PBOC-SEL-03',
  'TERM-FIN-02',
  'CARD-FW-07',
  'KEY-INFO-01',
  'CARD-RB-01',
];

test('an ICS that claims everything excludes nothing', () => {
  assert.deepEqual([...icsExclusions(FULL, IDS)], []);
});

test('what the ICS does not claim makes its requirements not applicable, the ICS item as the reason', () => {
  const noPboc = icsExclusions({ ...FULL, id: 'x', applications: { ssse: true, pboc: false } }, IDS);
  assert.deepEqual([...noPboc.keys()].sort(), ['CARD-FW-07', 'CARD-PBOC-AC-01', 'CARD-PBOC-SEL-03', 'CARD-PBOC-SM-01', 'TERM-FIN-02']);
  assert.equal(noPboc.get('CARD-PBOC-AC-01'), 'ICS x: applications.pboc not claimed');
  const narrow = icsExclusions({ ...FULL, id: 'y', suites: ['3des'], interfaces: ['contact'], options: { keyInfo: false } }, IDS);
  assert.deepEqual(Object.fromEntries(narrow), {
    'CARD-PBOC-SM-01': 'ICS y: suites: sm4 not claimed',
    'CARD-PBOC-SEL-03': 'ICS y: interfaces: contactless not claimed',
    'KEY-INFO-01': 'ICS y: options.keyInfo not claimed',
  });
});
