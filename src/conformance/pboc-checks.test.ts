import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { fromHex } from '../core/bytes.ts';
import { decodeResponse } from '../core/apdu.ts';
import { TlvError, parseTlv } from '../core/tlv.ts';
import { OdaError } from '../pboc/oda-format.ts';
import { asCardNonConformity, atcProblem, cardFault, cardFaultAsync, directoryAids, pdolTags } from './pboc-checks.ts';
import { TransportError } from '../channel/channel.ts';
import { getDataValue } from './pboc.ts';
import { cvrHas } from './pboc-oda.ts';

function isConformanceFailure(what: RegExp) {
  return (e: unknown) => e instanceof AssertionError && what.test(e.message);
}

test('an error the card data cause becomes a non-conformity naming what was checked', () => {
  assert.throws(
    () =>
      cardFault('issuer certificate', () => {
        throw new OdaError('trailer', 'recovered data trailer 00, not BC');
      }),
    isConformanceFailure(/^issuer certificate: recovered data trailer 00, not BC/),
  );
  assert.throws(() => cardFault('the GPO response', () => parseTlv(fromHex('77 05 82 02'))), isConformanceFailure(/^the GPO response: /));
  assert.throws(
    () =>
      cardFault('CDA', () => {
        throw new RangeError('ICC dynamic data of 300 bytes');
      }),
    isConformanceFailure(/^CDA: ICC dynamic data of 300 bytes/),
  );
  assert.equal(
    cardFault('x', () => 5),
    5,
  );
});

test('an error of the tool itself stays a tool error', () => {
  assert.throws(
    () =>
      cardFault('x', () => {
        throw new TypeError('undefined is not a function');
      }),
    TypeError,
  );
  assert.throws(
    () =>
      cardFault('x', () => {
        throw new Error('no such file');
      }),
    (e: unknown) => !(e instanceof AssertionError),
  );
});

test('the asynchronous form converts the same errors', async () => {
  await assert.rejects(
    cardFaultAsync('dynamic data authentication', async () => {
      throw new TlvError(0, 'truncated length');
    }),
    isConformanceFailure(/^dynamic data authentication: /),
  );
  await assert.rejects(
    cardFaultAsync('x', async () => {
      throw new TypeError('bug');
    }),
    TypeError,
  );
});

test('a GET DATA answer that is refused, malformed or of the wrong size is the card non-conformity', () => {
  const r = (hex: string) => decodeResponse(fromHex(hex));
  assert.deepEqual(getDataValue(r('9F3602000A9000'), 0x9f36, 2), fromHex('000A'));
  assert.throws(() => getDataValue(r('6A88'), 0x9f36), isConformanceFailure(/GET DATA 9F36 answered 6A88/));
  assert.throws(() => getDataValue(r('9F36059000'), 0x9f36), isConformanceFailure(/not valid BER-TLV/));
  assert.throws(() => getDataValue(r('9F1701039000'), 0x9f36), isConformanceFailure(/holds no 9F36/));
  assert.throws(() => getDataValue(r('9F3601059000'), 0x9f36, 2), isConformanceFailure(/9F36 has 1 bytes, not 2/));
});

test('issuer application data too short for a CVR are a non-conformity, not a crash', () => {
  assert.equal(cvrHas(fromHex('07010103A4000001'), 'offline PIN performed'), true);
  assert.throws(() => cvrHas(fromHex('0701'), 'offline PIN performed'), isConformanceFailure(/no 4-byte CVR/));
});

test('ATCs: the same within a transaction, strictly increasing across transactions, the last told by GET DATA', () => {
  const seen = [
    { transaction: 1, atc: 5 },
    { transaction: 1, atc: 5 },
    { transaction: 2, atc: 6 },
    { transaction: 3, atc: 9 },
  ];
  assert.equal(atcProblem(seen, 9), undefined);
  assert.match(atcProblem(seen, 10)!, /GET DATA 9F36 tells 10, the last cryptogram carried 9/);
  assert.match(
    atcProblem(
      [
        { transaction: 1, atc: 5 },
        { transaction: 1, atc: 6 },
      ],
      6,
    )!,
    /one transaction carry the ATCs 5 and 6/,
  );
  assert.match(
    atcProblem(
      [
        { transaction: 1, atc: 5 },
        { transaction: 2, atc: 5 },
      ],
      5,
    )!,
    /not above the 5/,
  );
  assert.match(
    atcProblem(
      [
        { transaction: 1, atc: 7 },
        { transaction: 2, atc: 3 },
      ],
      3,
    )!,
    /not above the 7/,
  );
  assert.match(atcProblem([], 0)!, /no cryptogram/);
});

test('a malformed directory record or PDOL is the card non-conformity', () => {
  assert.deepEqual(directoryAids(fromHex('700A 6108 4F06 A00000033301')), [fromHex('A00000033301')]);
  assert.throws(() => directoryAids(fromHex('7020 6108')), isConformanceFailure(/^the directory record is not valid BER-TLV/));
  assert.deepEqual(pdolTags(fromHex('6F06 9F3803 9F1A02')), [0x9f1a]);
  assert.throws(() => pdolTags(fromHex('6F05 9F3802 9F1A')), isConformanceFailure(/^the PDOL 9F38: /));
});

test("an error only the card's data can cause escapes a step as a non-conformity; a tool error stays what it is", () => {
  let tlv: unknown;
  try {
    parseTlv(fromHex('9F'));
  } catch (e) {
    tlv = e;
  }
  const nc = asCardNonConformity(tlv);
  assert.ok(nc instanceof AssertionError);
  assert.match((nc as Error).message, /card's data .*TlvError/);
  assert.ok(asCardNonConformity(new OdaError('missing', 'no certificate')) instanceof AssertionError);
  const transport = new TransportError('the reader is gone');
  assert.equal(asCardNonConformity(transport), transport);
  const plain = new Error('the key set has no SSSE key 9');
  assert.equal(asCardNonConformity(plain), plain);
});
