/**
 * Secret material a card must never answer with: every key and PIN of the
 * key set, and every key, PIN, UDK and ICC private key part the card holds
 * (read from its file tree, which changes when a PIN or key is reloaded). A
 * key leaks when any 8 consecutive bytes of it appear in a response; a PIN
 * when it appears as ASCII digits (6 or more), BCD padded with F to 8 bytes,
 * or an EMV plaintext PIN block. Shorter forms (3 BCD bytes) are not looked
 * for: random cryptograms and card data would match them by chance.
 */
import { type Bytes, ascii } from '../core/bytes.ts';
import type { Keyset } from '../model/keyset.ts';
import type { PbocCardData } from '../sim/apps/pboc-data.ts';
import { type DedicatedFile, allDfs } from '../sim/fs.ts';

interface Secret {
  pattern: Bytes;
  what: string;
}

/** Patterns of 6 or more bytes, indexed by their first four bytes. */
export class SecretIndex {
  private readonly byHead = new Map<number, Secret[]>();
  size = 0;

  add(pattern: Bytes, what: string): void {
    if (pattern.length < 6) return;
    const head = headOf(pattern, 0);
    const list = this.byHead.get(head);
    if (list?.some((e) => e.pattern.length === pattern.length && e.pattern.every((b, i) => b === pattern[i]))) return;
    if (list) list.push({ pattern, what });
    else this.byHead.set(head, [{ pattern, what }]);
    this.size++;
  }

  copy(): SecretIndex {
    const c = new SecretIndex();
    for (const [head, list] of this.byHead) c.byHead.set(head, [...list]);
    c.size = this.size;
    return c;
  }

  /** Every 8-byte window of a key or private key part. */
  addKey(value: Bytes, what: string): void {
    if (value.length < 8) return;
    for (let i = 0; i + 8 <= value.length; i++) this.add(value.slice(i, i + 8), what);
  }

  addPin(pin: string, what: string): void {
    if (!/^[0-9]{2,12}$/.test(pin)) return;
    if (pin.length >= 6) this.add(ascii(pin), `${what} (ASCII)`);
    this.add(hexBytes(pin.padEnd(16, 'F')), `${what} (BCD)`);
    this.add(hexBytes(`2${pin.length.toString(16)}${pin}`.padEnd(16, 'F')), `${what} (PIN block)`);
  }

  /**
   * Drops the patterns that the card's own public data contain (a PIN whose
   * digits also occur in a test file is no secret the card can keep).
   */
  dropFoundIn(blobs: readonly Bytes[]): void {
    for (const blob of blobs) {
      for (let hit = this.search(blob); hit; hit = this.search(blob)) {
        const list = this.byHead.get(headOf(hit.secret.pattern, 0))!;
        list.splice(list.indexOf(hit.secret), 1);
        this.size--;
      }
    }
  }

  /** The first secret found in `data`, if any. */
  find(data: Bytes): { what: string; offset: number } | undefined {
    const hit = this.search(data);
    return hit && { what: hit.secret.what, offset: hit.offset };
  }

  private search(data: Bytes): { secret: Secret; offset: number } | undefined {
    for (let i = 0; i + 6 <= data.length; i++) {
      const list = this.byHead.get(headOf(data, i));
      if (!list) continue;
      for (const secret of list) {
        const { pattern } = secret;
        if (i + pattern.length > data.length) continue;
        let same = true;
        for (let j = 4; j < pattern.length && same; j++) same = data[i + j] === pattern[j];
        if (same) return { secret, offset: i };
      }
    }
    return undefined;
  }
}

function headOf(b: ArrayLike<number>, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function hexBytes(hex: string): Bytes {
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

/** Every key and PIN of the key set (and of the PSAM and PBOC issuer sections). */
export function keysetSecrets(index: SecretIndex, keyset: Keyset): void {
  const j = keyset.json;
  const hex = (v: string) => hexBytes(v);
  index.addKey(hex(j.cardMaster.value), 'card master key');
  if (j.psam) {
    index.addKey(hex(j.psam.cardMaster.value), 'PSAM card master key');
    index.addKey(hex(j.psam.master.value), 'PSAM master key');
  }
  if (j.pboc) for (const [n, k] of Object.entries(j.pboc)) index.addKey(hex(k.value), `PBOC ${n}`);
  for (const [env, e] of Object.entries(j.environments)) {
    index.addKey(hex(e.master.value), `${env} master key`);
    for (const k of e.keys) index.addKey(hex(k.value), `${env} key ${k.id}`);
    for (const p of e.pins) index.addPin(p.value, `${env} PIN ${p.id}`);
  }
}

/** Every secret the card holds now. */
export function cardSecrets(index: SecretIndex, mf: DedicatedFile): void {
  for (const df of allDfs(mf)) {
    const where = df.fid !== undefined ? df.fid.toString(16).toUpperCase() : 'MF';
    for (const k of df.keys.values()) index.addKey(k.value, `key ${k.id} of ${where}`);
    for (const p of df.pins.values()) index.addPin(p.value, `PIN ${p.id} of ${where}`);
    const pboc = (df as DedicatedFile & { pboc?: PbocCardData }).pboc;
    if (!pboc) continue;
    if (pboc.udk) for (const [n, v] of Object.entries(pboc.udk)) index.addKey(v, `UDK-${n.toUpperCase()} of ${where}`);
    for (const [n, v] of Object.entries(pboc.rsa)) if (v) index.addKey(v, `ICC RSA ${n} of ${where}`);
    if (pboc.sm2) index.addKey(pboc.sm2, `ICC SM2 key of ${where}`);
  }
}

/** What the card gives out by design: the contents of its readable files, FCIs, DF names and PBOC data objects. */
export function publicData(mf: DedicatedFile): Bytes[] {
  const out: Bytes[] = [];
  for (const df of allDfs(mf)) {
    if (df.fci) out.push(df.fci);
    if (df.name) out.push(df.name);
    for (const c of df.children) {
      if (c.kind !== 'EF' || c.access.read === 'never') continue;
      if (c.data.length) out.push(c.data);
      out.push(...c.records);
    }
    const pboc = (df as DedicatedFile & { pboc?: PbocCardData }).pboc;
    if (pboc?.gpo) out.push(pboc.gpo);
    if (pboc) out.push(...Object.values(pboc.objects));
  }
  return out;
}

/** The secrets of a card and its key sets, without those its public data contain; added to `base` when given. */
export function secretsOf(keysets: readonly Keyset[], mf: DedicatedFile, publicBlobs: readonly Bytes[], base?: SecretIndex): SecretIndex {
  const index = base ? base.copy() : new SecretIndex();
  if (!base) for (const k of keysets) keysetSecrets(index, k);
  cardSecrets(index, mf);
  index.dropFoundIn(publicBlobs);
  return index;
}
