import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import {
  type DedicatedFile,
  FileSystemError,
  MF_FID,
  addChild,
  allDfs,
  childByFid,
  createDf,
  createEf,
  efBySfi,
  hex4,
  isRecordStructured,
  pathOf,
} from './fs.ts';

function throwsFs(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FileSystemError, `expected FileSystemError, got ${String(e)}`);
    assert.equal(e.name, 'FileSystemError');
    assert.match(e.message, pattern);
    return true;
  });
}

/**
 * MF
 * ├─ EF 2F02 (SFI 2)
 * ├─ DF DDF1 "A1"
 * │  ├─ EF EF05 (SFI 5)
 * │  ├─ DF DF01 "A101"
 * │  │  └─ DF 0001
 * │  └─ DF DF02 "A102"
 * └─ DF DDF2 "B1"
 */
function sampleTree() {
  const mf = createDf({ fid: MF_FID });
  const ef2f02 = createEf({ fid: 0x2f02, sfi: 2, structure: 'transparent', data: fromHex('0102') });
  const ddf1 = createDf({ fid: 0xddf1, name: fromHex('A1') });
  const ef05 = createEf({ fid: 0xef05, sfi: 5, structure: 'linear-variable', records: [fromHex('0101')] });
  const df01 = createDf({ fid: 0xdf01, name: fromHex('A101') });
  const inner = createDf({ fid: 0x0001 });
  const df02 = createDf({ fid: 0xdf02, name: fromHex('A102') });
  const ddf2 = createDf({ fid: 0xddf2, name: fromHex('B1') });
  addChild(mf, ef2f02);
  addChild(mf, ddf1);
  addChild(ddf1, ef05);
  addChild(ddf1, df01);
  addChild(df01, inner);
  addChild(ddf1, df02);
  addChild(mf, ddf2);
  return { mf, ef2f02, ddf1, ef05, df01, inner, df02, ddf2 };
}

test('createDf and createEf defaults', () => {
  const df = createDf({});
  assert.equal(df.kind, 'DF');
  assert.equal(df.lcs, 0x05);
  assert.deepEqual(df.children, []);
  assert.equal(df.fid, undefined);
  assert.equal('name' in df, false);
  assert.equal('fci' in df, false);
  const ef = createEf({ structure: 'transparent' });
  assert.equal(ef.kind, 'EF');
  assert.deepEqual(ef.access, { read: 'always', update: 'never' });
  assert.equal(ef.data.length, 0);
  assert.deepEqual(ef.records, []);
  assert.equal(ef.lcs, 0x05);
  assert.equal('sfi' in ef, false);
  const full = createEf({
    fid: 0x0016,
    sfi: 22,
    structure: 'linear-fixed',
    access: { read: 'never' },
    recordLength: 8,
    maxRecords: 3,
    lcs: 0x07,
  });
  assert.deepEqual(full.access, { read: 'never', update: 'never' });
  assert.equal(full.recordLength, 8);
  assert.equal(full.maxRecords, 3);
  assert.equal(full.lcs, 0x07);
});

test('isRecordStructured', () => {
  assert.equal(isRecordStructured(createEf({ structure: 'transparent' })), false);
  for (const s of ['linear-fixed', 'linear-variable', 'cyclic'] as const) {
    assert.equal(isRecordStructured(createEf({ structure: s })), true, s);
  }
});

test('addChild links the parent and returns the child', () => {
  const mf = createDf({ fid: MF_FID });
  const ef = createEf({ fid: 0x2f02, structure: 'transparent' });
  assert.equal(addChild(mf, ef), ef);
  assert.equal(ef.parent, mf);
  assert.deepEqual(mf.children, [ef]);
});

test('addChild rejects a duplicate FID in the same DF, EF or DF alike', () => {
  const { mf, ddf1 } = sampleTree();
  throwsFs(() => addChild(mf, createEf({ fid: 0x2f02, structure: 'transparent' })), /FID 2F02 already exists/);
  throwsFs(() => addChild(mf, createDf({ fid: 0x2f02 })), /FID 2F02 already exists/);
  throwsFs(() => addChild(mf, createEf({ fid: 0xddf1, structure: 'transparent' })), /FID DDF1 already exists/);
  // the same FID in another DF is fine
  addChild(ddf1, createEf({ fid: 0x2f02, structure: 'transparent' }));
  // nothing was added by the failed calls
  assert.equal(mf.children.length, 3);
});

test('addChild rejects a duplicate SFI among the EFs of a DF', () => {
  const { mf, ddf1 } = sampleTree();
  const dup = createEf({ fid: 0x2f03, sfi: 2, structure: 'transparent' });
  throwsFs(() => addChild(mf, dup), /SFI 2 already exists/);
  assert.equal(dup.parent, undefined);
  // the same SFI in another DF is fine; EFs without SFI never clash
  addChild(ddf1, createEf({ fid: 0x2f03, sfi: 2, structure: 'transparent' }));
  addChild(mf, createEf({ fid: 0x0015, structure: 'transparent' }));
  addChild(mf, createEf({ fid: 0x0017, structure: 'transparent' }));
  // EFs without FID but with distinct SFIs
  addChild(mf, createEf({ sfi: 9, structure: 'transparent' }));
  addChild(mf, createEf({ sfi: 10, structure: 'transparent' }));
  throwsFs(() => addChild(mf, createEf({ sfi: 9, structure: 'cyclic' })), /SFI 9 already exists/);
});

test('addChild rejects FID 3F00 below the MF', () => {
  const { mf, ddf1 } = sampleTree();
  throwsFs(() => addChild(mf, createDf({ fid: MF_FID })), /3F00 is reserved for the MF/);
  throwsFs(() => addChild(ddf1, createEf({ fid: 0x3f00, structure: 'transparent' })), /3F00 is reserved/);
});

test('addChild rejects an SFI outside 1..30', () => {
  const mf = createDf({ fid: MF_FID });
  for (const sfi of [0, 31, -1, 32]) {
    throwsFs(() => addChild(mf, createEf({ sfi, structure: 'transparent' })), new RegExp(`SFI must be 1\\.\\.30, got ${sfi}`));
  }
  assert.equal(mf.children.length, 0);
  addChild(mf, createEf({ sfi: 1, structure: 'transparent' }));
  addChild(mf, createEf({ sfi: 30, structure: 'transparent' }));
  assert.equal(mf.children.length, 2);
});

test('allDfs lists the DFs depth-first in document order', () => {
  const t = sampleTree();
  assert.deepEqual(allDfs(t.mf), [t.mf, t.ddf1, t.df01, t.inner, t.df02, t.ddf2]);
  assert.deepEqual(allDfs(t.ddf1), [t.ddf1, t.df01, t.inner, t.df02]);
  assert.deepEqual(allDfs(t.ddf2), [t.ddf2]);
});

test('childByFid looks only at direct children', () => {
  const t = sampleTree();
  assert.equal(childByFid(t.mf, 0x2f02), t.ef2f02);
  assert.equal(childByFid(t.mf, 0xddf1), t.ddf1);
  assert.equal(childByFid(t.mf, 0xef05), undefined, 'grandchild');
  assert.equal(childByFid(t.mf, 0x3f00), undefined, 'the DF itself');
  assert.equal(childByFid(t.ddf1, 0xef05), t.ef05);
  assert.equal(childByFid(t.ddf1, 0xdf02), t.df02);
  assert.equal(childByFid(t.ddf2, 0x2f02), undefined);
});

test('efBySfi finds EFs of the DF by SFI only', () => {
  const t = sampleTree();
  assert.equal(efBySfi(t.mf, 2), t.ef2f02);
  assert.equal(efBySfi(t.mf, 5), undefined, 'SFI 5 lives in DDF1');
  assert.equal(efBySfi(t.ddf1, 5), t.ef05);
  assert.equal(efBySfi(t.ddf1, 2), undefined);
  assert.equal(efBySfi(t.ddf2, 1), undefined);
});

test('pathOf names the path from the MF', () => {
  const t = sampleTree();
  assert.equal(pathOf(t.mf), 'MF');
  assert.equal(pathOf(t.ef2f02), 'MF/2F02');
  assert.equal(pathOf(t.ddf1), 'MF/DDF1');
  assert.equal(pathOf(t.ef05), 'MF/DDF1/EF05');
  assert.equal(pathOf(t.inner), 'MF/DDF1/DF01/0001');
  const anonymous = createEf({ sfi: 7, structure: 'transparent' });
  addChild(t.df02, anonymous);
  assert.equal(pathOf(anonymous), 'MF/DDF1/DF02/(no FID)');
});

test('hex4 pads to four upper-case digits', () => {
  assert.equal(hex4(0x3f00), '3F00');
  assert.equal(hex4(0x15), '0015');
  assert.equal(hex4(0xddf1), 'DDF1');
});

test('a tree built by hand has consistent parent links', () => {
  const t = sampleTree();
  const walk = (df: DedicatedFile): void => {
    for (const c of df.children) {
      assert.equal(c.parent, df);
      if (c.kind === 'DF') walk(c);
    }
  };
  walk(t.mf);
  assert.equal(t.mf.parent, undefined);
});
