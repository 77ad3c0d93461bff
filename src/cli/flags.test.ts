import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from './errors.ts';
import { dateFlag, digitsFlag, intFlag, rejectEmpty } from './flags.ts';

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);

test('intFlag takes plain decimal digits in range and nothing Number() would also take', () => {
  assert.equal(intFlag('run', 'parallel', '0', 0, 16), 0);
  assert.equal(intFlag('run', 'parallel', '16', 0, 16), 16);
  assert.equal(intFlag('run', 'parallel', '02', 0, 16), 2);
  for (const bad of ['', ' ', '0x2', '2e1', '+2', '-1', '2.0', ' 2', '2 ', '17', 'many', 'Infinity', '1'.repeat(20)])
    assert.throws(
      () => intFlag('run', 'parallel', bad, 0, 16, 'worker processes'),
      usage(/^run: --parallel takes a whole number from 0 to 16 \(worker processes\), got ".*"$/),
      JSON.stringify(bad),
    );
});

test('digitsFlag keeps the digits as text and bounds their count', () => {
  assert.equal(digitsFlag('terminal purchase', 'pin', '0012', 4, 12, 'a PIN'), '0012');
  assert.throws(() => digitsFlag('terminal purchase', 'pin', 'abc', 4, 12, 'a PIN'), usage(/--pin takes a PIN: 4 to 12 digits, got "abc"/));
  assert.throws(() => digitsFlag('terminal purchase', 'pin', '1'.repeat(20), 4, 12, 'a PIN'), usage(/--pin takes a PIN/));
  assert.throws(() => digitsFlag('terminal purchase', 'pin', '123', 4, 12, 'a PIN'), usage(/--pin/));
  assert.throws(() => digitsFlag('x', 'n', '12', 3, 3, 'a code'), usage(/--n takes a code: 3 digits, got "12"/));
});

test('dateFlag takes calendar dates YYYYMMDD only', () => {
  assert.equal(dateFlag('terminal social-security', 'today', '20240229'), '20240229');
  for (const bad of ['20231301', '20230229', '20230431', '2023-01-01', '', '202301011'])
    assert.throws(
      () => dateFlag('terminal social-security', 'today', bad),
      usage(/^terminal social-security: --today takes a calendar date YYYYMMDD, got/),
      bad,
    );
});

test('rejectEmpty names the first flag given empty or blank, in lists too', () => {
  rejectEmpty('run', { out: 'reports', quiet: false, tags: undefined, only: ['a'] });
  assert.throws(() => rejectEmpty('run', { out: '' }), usage(/^run: --out is empty$/));
  assert.throws(() => rejectEmpty('run', { profile: '  ' }), usage(/^run: --profile is empty$/));
  assert.throws(() => rejectEmpty('mutation', { only: ['a', ''] }), usage(/^mutation: --only is empty$/));
});
