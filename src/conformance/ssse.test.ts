import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import { algorithmIndicatorProblem } from './ssse.ts';

const NAME = '7378312E73682EC9E7BBE1B1A3D5CF';

test("the algorithm indicator is found in A5 of the FCI and checked against the keys' algorithm", () => {
  assert.equal(algorithmIndicatorProblem(fromHex(`6F17840F${NAME}A504DF690100`), '3des'), undefined);
  assert.equal(algorithmIndicatorProblem(fromHex(`6F17840F${NAME}A504DF690101`), 'sm4'), undefined);
  assert.match(algorithmIndicatorProblem(fromHex(`6F17840F${NAME}A504DF690100`), 'sm4')!, /DF69 is 00; sm4 keys are 01/);
  assert.match(algorithmIndicatorProblem(fromHex(`6F11840F${NAME}`), '3des')!, /no proprietary template/);
  assert.match(algorithmIndicatorProblem(fromHex(`6F17840F${NAME}A5049F690100`), '3des')!, /no algorithm indicator DF69/);
  assert.match(algorithmIndicatorProblem(fromHex('9000'), '3des')!, /no FCI template|not BER-TLV/);
  assert.equal(algorithmIndicatorProblem(fromHex(`6F16840F${NAME}A5038A0102`), 'sm4', { tag: '8A', '3des': '01', sm4: '02' }), undefined);
});
