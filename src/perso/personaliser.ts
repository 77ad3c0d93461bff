/**
 * Runs a personalisation script against any card channel: the built-in
 * simulator's blank card, or a blank sample in a reader. Secured steps get a
 * fresh challenge from the card and their MAC and key blocks are computed
 * from the key set at that moment.
 */
import { type Bytes, concat, fromHex } from '../core/bytes.ts';
import { blockSize, encryptEcb } from '../crypto/block.ts';
import { kcv } from '../crypto/kcv.ts';
import { pad } from '../crypto/padding.ts';
import { securedCommand } from '../cos/formats.ts';
import { udk } from '../pboc/cryptograms.ts';
import { iccPrivateKeyOf, loadPki } from '../pboc/pki.ts';
import { decodeResponse } from '../core/apdu.ts';
import { describeSw, swHex } from '../core/sw.ts';
import type { CardChannel } from '../channel/channel.ts';
import { composeChannel } from '../channel/compose.ts';
import { GET_CHALLENGE, externalAuthenticate, writeKey, writePin } from '../cos/commands.ts';
import { CARD, type Key, type Keyset } from '../model/keyset.ts';
import type { PersoScript, PersoStep } from './script.ts';

export class PersoError extends Error {
  constructor(
    readonly step: number,
    readonly stepNote: string,
    readonly sw: number,
  ) {
    super(`personalisation step ${step + 1} (${stepNote}) failed: ${swHex(sw)} ${describeSw(sw).meaning}`);
    this.name = 'PersoError';
  }
}

export interface PersoResult {
  steps: number;
  apdus: number;
}

export async function personalise(channel: CardChannel, script: PersoScript, keyset: Keyset): Promise<PersoResult> {
  const card = composeChannel(channel).handled;
  let apdus = 0;
  const send = async (apdu: Bytes, i: number, note: string): Promise<Bytes> => {
    apdus++;
    const r = decodeResponse(await card.transmit(apdu));
    if (r.sw !== 0x9000) throw new PersoError(i, note, r.sw);
    return r.data;
  };
  const challenge = (i: number, note: string) => send(GET_CHALLENGE, i, `${note}: GET CHALLENGE`);
  let storeDataBlock = 0;
  for (const [i, step] of script.steps.entries()) {
    await runStep(step, i);
  }
  return { steps: script.steps.length, apdus };

  async function runStep(step: PersoStep, i: number): Promise<void> {
    switch (step.op) {
      case 'apdu':
        await send(fromHex(step.apdu), i, step.note);
        return;
      case 'authenticate': {
        const key = keyset.key(step.env, step.key);
        const c = await challenge(i, step.note);
        await send(externalAuthenticate(key.id, key, c), i, step.note);
        return;
      }
      case 'write-key': {
        const target = step.factors
          ? keyset.cardKey(step.env, step.key, Object.fromEntries(Object.entries(step.factors).map(([n, v]) => [n, fromHex(v)])))
          : keyset.key(step.env, step.key);
        const authorityKey = step.authority === 'card' ? keyset.cardMaster : keyset.master(step.env);
        const c = await challenge(i, step.note);
        await send(writeKey({ authority: step.authority, authorityKey, challenge: c, target }), i, step.note);
        return;
      }
      case 'store-data': {
        const master = keyset.master(step.env);
        const data = step.data !== undefined ? fromHex(step.data) : storeDataKeys(step, keyset, master);
        const dgi = fromHex(step.dgi);
        const body = concat(dgi, data.length < 0xff ? [data.length] : [0xff, data.length >> 8, data.length & 0xff], data);
        const c = await challenge(i, step.note);
        await send(
          securedCommand(master.alg, master.value, c, new Uint8Array([0x84, 0xe2, 0x00, storeDataBlock++ & 0xff]), body),
          i,
          step.note,
        );
        return;
      }
      case 'write-pin': {
        const pin = keyset.pins(step.env).find((p) => p.id === step.pin);
        if (!pin) throw new Error(`key set ${keyset.id} has no PIN ${step.pin} in ${step.env}`);
        const c = await challenge(i, step.note);
        await send(
          writePin({ authorityKey: keyset.master(step.env), challenge: c, id: pin.id, pin: pin.value, tries: pin.tries }),
          i,
          step.note,
        );
        return;
      }
    }
  }
}

/** One line per step, for `ssc-lab perso script`. */
export function describeScript(script: PersoScript): string {
  return script.steps.map((s, i) => describeStep(s, String(i + 1).padStart(3))).join('\n');
}

function describeStep(s: PersoStep, n: string): string {
  switch (s.op) {
    case 'apdu':
      return `${n}  ${s.note.padEnd(48)} ${s.apdu.length > 64 ? `${s.apdu.slice(0, 64)}…` : s.apdu}`;
    case 'authenticate':
      return `${n}  ${s.note.padEnd(48)} GET CHALLENGE, EXTERNAL AUTHENTICATE with ${s.env === CARD ? 'MF' : s.env} key ${s.key}`;
    case 'write-key':
      return `${n}  ${s.note.padEnd(48)} GET CHALLENGE, WRITE KEY ${s.env} key ${s.key} under the ${s.authority === 'card' ? 'card' : `${s.env}`} master key`;
    case 'write-pin':
      return `${n}  ${s.note.padEnd(48)} GET CHALLENGE, WRITE KEY ${s.env} PIN ${s.pin}`;
    case 'store-data':
      return `${n}  ${s.note.padEnd(48)} GET CHALLENGE, STORE DATA DGI ${s.dgi}${s.data ? ` ${s.data.length > 48 ? `${s.data.slice(0, 48)}…` : s.data}` : ' (keys from the key set)'}`;
  }
}

/**
 * The data of a STORE DATA step that carries keys (docs/pboc-design.md):
 * DGI 8000 the UDKs (Option A; SM4 observed) enciphered (ECB) under the
 * environment master key, DGI 9000 their KCVs, DGIs 8201–8205 / 8301 an ICC
 * private key of the lab PKI enciphered the same way.
 */
function storeDataKeys(step: Extract<PersoStep, { op: 'store-data' }>, keyset: Keyset, master: Key): Bytes {
  const k = step.keys;
  if (!k) throw new Error(`STORE DATA DGI ${step.dgi} has neither data nor keys`);
  const encipher = (plain: Bytes) => encryptEcb(master.alg, master.value, pad(plain, blockSize(master.alg), 1));
  if (k.kind === 'icc-key') {
    // big-endian integers: padded on the left to whole blocks, so that their value stays
    const bs = blockSize(master.alg);
    const integer = (v: Bytes) => encryptEcb(master.alg, master.value, concat(new Uint8Array((bs - (v.length % bs)) % bs), v));
    const key = iccPrivateKeyOf(loadPki(), k.icc);
    if (key.suite === 'sm2') return integer(key.d);
    return integer(key[k.part ?? 'p']);
  }
  const mdks = keyset.pbocMasterKeys();
  const sym = k.suite === 'sm' ? 'sm4' : '3des';
  const udks = [mdks.ac, mdks.mac, mdks.enc].map((m) => udk(sym, m.value, k.pan, k.psn));
  if (k.kind === 'udk') return encipher(concat(...udks));
  return concat(...udks.map((u) => kcv(sym, u)));
}
