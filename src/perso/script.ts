/**
 * Personalisation as a replayable script generated from a profile: the card
 * is personalised through its own commands, never by writing its memory, and
 * the same script personalises a blank real card. Steps name keys by
 * reference (environment, id); the key values come from the key set at run
 * time, so a script can be shared without key material.
 *
 * Order (社会保障卡加载金融功能通用规范, key management):
 *   1. in the MF, authenticate with the card master key; create the MF's EFs
 *   2. per environment (SSSE, PSE): create its DF with the card master key,
 *      load its master key under the card master key, authenticate with it,
 *      load application keys and PINs under it, create and fill its files,
 *      activate it; back in the MF, authenticate again
 *   3. activate the MF
 */
import { type Bytes, fromHex, toHex } from '../core/bytes.ts';
import { type CommandApdu, command, encodeCommand } from '../core/apdu.ts';
import { DataError } from '../core/json.ts';
import { dfFcp, efFcp } from '../cos/fcp.ts';
import type { DfJson, EfJson, NodeJson, Profile } from '../model/profile.ts';
import { CARD, type FactorName, type Keyset } from '../model/keyset.ts';
import { factorsOfProfile } from '../ssse/factors.ts';
import type { PbocJson } from '../model/pboc-data.ts';
import { cardObjectsOf, gpoDataOf } from '../pboc/image.ts';

export type PersoStep =
  | { op: 'apdu'; apdu: string; note: string }
  | { op: 'authenticate'; env: string; key: number; note: string }
  | {
      op: 'write-key';
      env: string;
      key: number;
      authority: 'card' | 'environment';
      /** Diversification factors (hex), when the card holds the key set's key diversified. */
      factors?: Partial<Record<FactorName, string>>;
      note: string;
    }
  | { op: 'write-pin'; env: string; pin: number; note: string }
  | {
      op: 'store-data';
      env: string;
      /** Data grouping identifier (docs/pboc-design.md), 4 hex digits. */
      dgi: string;
      /** The DGI's data when it holds no key material. */
      data?: string;
      /** DGIs with keys are computed when the step runs: the UDKs (or their KCVs) of a card, an ICC private key of the PKI. */
      keys?:
        | { kind: 'udk' | 'udk-kcv'; suite: 'des-rsa' | 'sm'; pan: string; psn: string }
        | { kind: 'icc-key'; icc: string; part?: 'p' | 'q' | 'dp' | 'dq' | 'qinv' };
      note: string;
    };

export interface PersoScript {
  profile: string;
  keyset: string;
  steps: PersoStep[];
}

/** Largest UPDATE BINARY chunk. */
const CHUNK = 240;

function hex(b: ArrayLike<number>): string {
  return toHex(b);
}

function fidOf(n: NodeJson, where: string, file: string): number {
  if (!n.fid) throw new DataError(file, [`${where}: personalisation needs a file identifier`]);
  return parseInt(n.fid, 16);
}

function nameOf(df: DfJson | Profile['fileSystem']): Bytes | undefined {
  if (df.nameHex) return fromHex(df.nameHex);
  if (df.name) return new TextEncoder().encode(df.name);
  return undefined;
}

export function generateScript(profile: Profile, keyset: Keyset, file = profile.id): PersoScript {
  const steps: PersoStep[] = [];
  const apdu = (c: CommandApdu, note: string) => steps.push({ op: 'apdu', apdu: hex(encodeCommand(c)), note });
  const fid = (id: number) => Uint8Array.of(id >> 8, id & 0xff);

  const createEf = (ef: EfJson, where: string) => {
    const id = fidOf(ef, where, file);
    const data = fromHex(ef.data ?? '');
    const records = (ef.records ?? []).map((r) => fromHex(r));
    const fcp = efFcp({
      fid: id,
      ...(ef.sfi !== undefined ? { sfi: ef.sfi } : {}),
      structure: ef.structure,
      size: data.length,
      ...(ef.recordLength !== undefined
        ? { recordLength: ef.recordLength }
        : { recordLength: Math.max(1, ...records.map((r) => r.length)) }),
      maxRecords: ef.maxRecords ?? Math.max(records.length, 1),
      read: ef.read ?? 'always',
      update: ef.update ?? 'never',
      ...(ef.tlvRecords ? { tlvRecords: true } : {}),
    });
    apdu(command(0x80, 0xe0, 0x00, 0x00, fcp), `CREATE FILE EF ${ef.fid}${ef.label ? ` (${ef.label})` : ''}`);
    if (data.length === 0 && records.length === 0) return;
    apdu(command(0x00, 0xa4, 0x02, 0x0c, fid(id)), `SELECT EF ${ef.fid}`);
    for (let off = 0; off < data.length; off += CHUNK) {
      const chunk = data.slice(off, off + CHUNK);
      apdu(command(0x00, 0xd6, off >> 8, off & 0xff, chunk), `UPDATE BINARY ${ef.fid} at ${off}`);
    }
    for (const [i, r] of records.entries()) apdu(command(0x00, 0xe2, 0x00, 0x00, r), `APPEND RECORD ${ef.fid} record ${i + 1}`);
  };

  const storeData = (env: string, pboc: PbocJson, where: string) => {
    const d = (dgi: string, note: string, data?: string, keys?: Extract<PersoStep, { op: 'store-data' }>['keys']) =>
      steps.push({ op: 'store-data', env, dgi, ...(data ? { data } : {}), ...(keys ? { keys } : {}), note });
    const card = { suite: pboc.suite, pan: pboc.pan, psn: pboc.psn };
    d('9200', 'STORE DATA card data objects (ATC, counters, log format)', hex(cardObjectsOf(pboc)));
    d('8000', 'STORE DATA UDK-AC, UDK-MAC, UDK-ENC (enciphered)', undefined, { kind: 'udk', ...card });
    d('9000', 'STORE DATA KCVs of the UDKs', undefined, { kind: 'udk-kcv', ...card });
    d('9102', 'STORE DATA GPO response (AIP, AFL)', hex(gpoDataOf(pboc, `${where}/pboc`)));
    if (pboc.suite === 'sm') d('8301', 'STORE DATA SM2 ICC private key (enciphered)', undefined, { kind: 'icc-key', icc: pboc.pki.icc });
    else {
      for (const [i, part] of (['p', 'q', 'dp', 'dq', 'qinv'] as const).entries()) {
        d(`820${i + 1}`, `STORE DATA RSA ICC private key, CRT ${part} (enciphered)`, undefined, {
          kind: 'icc-key',
          icc: pboc.pki.icc,
          part,
        });
      }
    }
  };

  const createChildren = (children: NodeJson[], where: string, env: string) => {
    children.forEach((c, i) => {
      const here = `${where}/children/${i}`;
      if (c.kind === 'EF') {
        createEf(c, here);
        return;
      }
      const id = fidOf(c, here, file);
      const name = nameOf(c);
      const fcp = dfFcp({ fid: id, ...(name ? { name } : {}), ...(c.fci ? { fci: fromHex(c.fci) } : {}) });
      apdu(command(0x80, 0xe0, 0x00, 0x00, fcp), `CREATE FILE DF ${c.fid}${c.label ? ` (${c.label})` : ''}`);
      apdu(command(0x00, 0xa4, 0x01, 0x0c, fid(id)), `SELECT DF ${c.fid}`);
      createChildren(c.children ?? [], here, env);
      if (c.pboc) storeData(env, c.pboc, here);
      apdu(command(0x00, 0xa4, 0x03, 0x0c), 'SELECT parent DF');
    });
  };

  apdu(command(0x00, 0xa4, 0x00, 0x0c, fid(0x3f00)), 'SELECT MF');
  steps.push({ op: 'authenticate', env: CARD, key: keyset.cardMaster.id, note: 'authenticate with the card master key' });
  const mfChildren = profile.fileSystem.children;
  mfChildren.forEach((c, i) => {
    if (c.kind === 'EF') createEf(c, `/fileSystem/children/${i}`);
  });
  mfChildren.forEach((c, i) => {
    if (c.kind !== 'DF') return;
    const where = `/fileSystem/children/${i}`;
    const env = c.environment;
    if (!env) throw new DataError(file, [`${where}: a DF directly under the MF is an environment and needs "environment"`]);
    const keys = keyset.environment(env);
    const id = fidOf(c, where, file);
    const name = nameOf(c);
    const fcp = dfFcp({ fid: id, ...(name ? { name } : {}), ...(c.fci ? { fci: fromHex(c.fci) } : {}) });
    apdu(command(0x80, 0xe0, 0x00, 0x00, fcp), `CREATE FILE environment ${env} (DF ${c.fid})`);
    apdu(command(0x00, 0xa4, 0x01, 0x0c, fid(id)), `SELECT ${env}`);
    steps.push({
      op: 'write-key',
      env,
      key: keys.master.id,
      authority: 'card',
      note: `load the ${env} master key under the card master key`,
    });
    steps.push({ op: 'authenticate', env, key: keys.master.id, note: `authenticate with the ${env} master key` });
    const names = keyset.factorNames(env);
    let factors: Partial<Record<FactorName, string>> | undefined;
    if (names.length > 0) {
      const values = factorsOfProfile(profile);
      if (!values)
        throw new DataError(file, [
          `${where}: ${env} keys are diversified, but the profile has no card identification code (EF05 record 01)`,
        ]);
      factors = Object.fromEntries(names.map((n) => [n, hex(values[n])]));
    }
    for (const k of keys.keys) {
      const note = `load ${k.label ?? `key ${k.id}`}${factors ? ' (diversified)' : ''}`;
      steps.push({ op: 'write-key', env, key: k.id, authority: 'environment', ...(factors ? { factors } : {}), note });
    }
    for (const p of keys.pins) steps.push({ op: 'write-pin', env, pin: p.id, note: `load ${p.label ?? `PIN ${p.id}`}` });
    createChildren(c.children ?? [], where, env);
    apdu(command(0x00, 0x44, 0x00, 0x00), `ACTIVATE ${env}`);
    apdu(command(0x00, 0xa4, 0x03, 0x0c), 'SELECT MF');
    steps.push({ op: 'authenticate', env: CARD, key: keyset.cardMaster.id, note: 'authenticate with the card master key' });
  });
  apdu(command(0x00, 0x44, 0x00, 0x00), 'ACTIVATE MF');
  return { profile: profile.id, keyset: keyset.id, steps };
}
