import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPins, pinMasker, pinsNamed } from './secrets.ts';

test('the PINs a scenario names are the quoted digits of its PIN steps, and only those', () => {
  const steps = [
    'When I verify the SSSE PIN "654321"',
    'And I reload the SSSE PIN with the new PIN "112233"',
    'When I read 8 bytes at offset 0',
    'Then the response data is "00 00 00 00"',
    'When I write "1234" at offset 0 of the current EF',
  ];
  assert.deepEqual([...pinsNamed(steps)].sort(), ['112233', '654321']);
});

test('a named PIN is masked wherever it appears as a whole number; other digits stay', () => {
  const pins = new Set(['654321']);
  assert.equal(maskPins('CHANGE PIN to 654321 (2 tries left)', pins), 'CHANGE PIN to •••••• (2 tries left)');
  assert.equal(maskPins('record 16543219', pins), 'record 16543219');
  assert.equal(maskPins('status word 6983', pins), 'status word 6983');
});

test('the masker of a scenario masks its name, parameters and step names; shown secrets stay in clear', () => {
  const steps = ['When I verify the SSSE PIN "975310"'];
  const mask = pinMasker(steps, false);
  assert.equal(mask('After CHANGE PIN to 975310 the old PIN is wrong'), 'After CHANGE PIN to •••••• the old PIN is wrong');
  assert.equal(mask(steps[0]!), 'When I verify the SSSE PIN "••••••"');
  assert.equal(pinMasker(steps, true)(steps[0]!), steps[0]);
});
