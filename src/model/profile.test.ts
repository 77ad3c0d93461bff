import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type EfJson, MAX_EF_SIZE, MAX_RECORDS, type NodeJson, ProfilePaths, fileSystemProblems, recordProblems } from './profile.ts';

const hex = (bytes: number) => '00'.repeat(bytes);
const transparent = (fid: string, bytes: number, sfi?: number): EfJson => ({
  kind: 'EF',
  fid,
  structure: 'transparent',
  data: hex(bytes),
  ...(sfi ? { sfi } : {}),
});
const fs = (...children: NodeJson[]) => ({ children });

test('a transparent EF holds at most MAX_EF_SIZE bytes, what the 15-bit offset of READ BINARY reaches', () => {
  assert.equal(MAX_EF_SIZE, 32768);
  assert.deepEqual(fileSystemProblems(fs(transparent('0001', MAX_EF_SIZE))), []);
  assert.deepEqual(fileSystemProblems(fs(transparent('0001', MAX_EF_SIZE + 1))), [
    '/fileSystem/children/0/data: 32769 bytes, a transparent EF has at most 32768 (the 15-bit offset of READ BINARY)',
  ]);
  assert.equal(fileSystemProblems(fs(transparent('0001', 1 << 20))).length, 1);
});

test('FIDs and SFIs are unique within one DF, not across DFs; reserved FIDs are refused', () => {
  const df = (fid: string, children: NodeJson[]): NodeJson => ({ kind: 'DF', fid, children });
  assert.deepEqual(
    fileSystemProblems(fs(df('DF01', [transparent('EF01', 1, 1)]), df('DF02', [transparent('EF01', 1, 1)]))),
    [],
    'the same FID and SFI in two DFs',
  );
  assert.deepEqual(fileSystemProblems(fs(df('DF01', [transparent('EF01', 1, 1), transparent('ef01', 1, 2)]))), [
    '/fileSystem/children/0/children/1/fid: DF DF01 holds FID EF01 already (/fileSystem/children/0/children/0); the files of a DF have FIDs of their own',
  ]);
  assert.deepEqual(fileSystemProblems(fs(transparent('EF01', 1, 5), transparent('EF02', 1, 5))), [
    '/fileSystem/children/1/sfi: the MF holds SFI 5 already (/fileSystem/children/0); the EFs of a DF have SFIs of their own',
  ]);
  assert.deepEqual(fileSystemProblems(fs(df('DF01', []), transparent('DF01', 1))), [
    '/fileSystem/children/1/fid: the MF holds FID DF01 already (/fileSystem/children/0); the files of a DF have FIDs of their own',
  ]);
  for (const fid of ['3F00', '3FFF', 'FFFF'])
    assert.match(
      fileSystemProblems(fs(transparent(fid, 1))).join(),
      new RegExp(`/fileSystem/children/0/fid: ${fid} is a reserved file identifier`),
    );
});

test('records: at most their recordLength (exactly it when fixed or cyclic), 1 to 255 bytes, no more than maxRecords', () => {
  const ef = (e: Partial<EfJson>): EfJson => ({ kind: 'EF', fid: '0016', structure: 'linear-fixed', ...e });
  assert.deepEqual(recordProblems(ef({ recordLength: 8, records: [hex(8), hex(8)] }), '/r', 'EF 0016'), []);
  assert.deepEqual(recordProblems(ef({ recordLength: 8, records: [hex(8), hex(9)] }), '/r', 'EF 0016'), [
    '/r/1: 9 bytes, but the records of EF 0016 (linear-fixed) have 8 (recordLength)',
  ]);
  assert.deepEqual(recordProblems(ef({ records: [hex(8), hex(6)] }), '/r', 'EF 0016'), [
    '/r/1: 6 bytes, but the records of EF 0016 (linear-fixed) have 8, as its longest',
  ]);
  assert.deepEqual(recordProblems(ef({ structure: 'linear-variable', recordLength: 8, records: [hex(3), hex(8)] }), '/r', 'EF 0016'), []);
  assert.deepEqual(recordProblems(ef({ structure: 'linear-variable', recordLength: 8, records: [hex(9)] }), '/r', 'EF 0016'), [
    '/r/0: 9 bytes, more than the recordLength 8 of EF 0016',
  ]);
  assert.deepEqual(recordProblems(ef({ structure: 'linear-variable', records: [hex(256), ''] }), '/r', 'EF 0016'), [
    '/r/0: 256 bytes, a record has at most 255',
    '/r/1: an empty record (APPEND RECORD takes 1 byte at least)',
  ]);
  assert.deepEqual(
    recordProblems(ef({ structure: 'cyclic', recordLength: 2, maxRecords: 2, records: [hex(2), hex(2), hex(2)] }), '/r', 'EF 0016'),
    ['/r: 3 records, EF 0016 holds at most 2 (maxRecords)'],
  );
  const many = Array.from({ length: MAX_RECORDS + 1 }, () => hex(1));
  assert.deepEqual(recordProblems(ef({ structure: 'linear-variable', records: many }), '/r', 'EF 0016'), [
    '/r: 255 records, EF 0016 holds at most 254',
  ]);
  assert.deepEqual(
    recordProblems(ef({ recordLength: 1, records: [hex(2)] }), '/basicData', 'EF05', () => '/basicData/ssn'),
    ['/basicData/ssn: 2 bytes, but the records of EF05 (linear-fixed) have 1 (recordLength)'],
    'the path of a record can be named by the caller',
  );
});

test('ProfilePaths: problems of what a patch wrote are named by the patch', () => {
  const appended = transparent('EF0A', 1);
  const patched: EfJson = { kind: 'EF', fid: '0016', structure: 'linear-fixed', recordLength: 8, records: [hex(9)] };
  const paths = new ProfilePaths();
  paths.setNode(appended, '/files/DDF1/append/0');
  paths.setProp(patched, 'records', '/files/0016/records');
  const df: NodeJson = { kind: 'DF', fid: 'DDF1', children: [transparent('EF0A', 1), appended] };
  assert.deepEqual(fileSystemProblems(fs(df, patched), paths), [
    '/files/DDF1/append/0/fid: DF DDF1 holds FID EF0A already (/fileSystem/children/0/children/0); the files of a DF have FIDs of their own',
    '/files/0016/records/0: 9 bytes, but the records of EF 0016 (linear-fixed) have 8 (recordLength)',
  ]);
  assert.equal(paths.of({}, '/here'), '/here');
  assert.equal(paths.of({}, '/here', 'data'), '/here/data');
});
