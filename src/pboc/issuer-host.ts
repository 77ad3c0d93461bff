/**
 * The lab's simulated issuer host for the PBOC debit application (JR/T 0025,
 * docs/pboc-design.md "Keys"): it holds the issuer master keys of the key set, derives the
 * card's UDKs from the PAN and PSN (Option A; SM4 observed), checks the ARQC,
 * answers the ARPC (method 1) with its authorisation response code, and
 * builds issuer scripts with their MAC. It never uses anything the card
 * computed except what travels in the authorisation request.
 */
import { type Bytes, concat, equal } from '../core/bytes.ts';
import { command, encodeCommand } from '../core/apdu.ts';
import { blockSize, encryptEcb } from '../crypto/block.ts';
import { pad } from '../crypto/padding.ts';
import type { Keyset } from '../model/keyset.ts';
import { applicationCryptogram, arpcMethod1, scriptMac, sessionKey, udk } from './cryptograms.ts';

export type Suite = 'des-rsa' | 'sm';

/** Authorisation response codes (8A, two ASCII characters). */
export const ARC = {
  approved: Uint8Array.of(0x30, 0x30),
  declined: Uint8Array.of(0x30, 0x35),
  /** Unable to go online, offline approved / declined (terminal-generated, EMV Book 4). */
  unableOnlineApproved: Uint8Array.of(0x59, 0x33),
  unableOnlineDeclined: Uint8Array.of(0x5a, 0x33),
} as const;

/** What an authorisation request carries about the card and its cryptogram. */
export interface AuthorisationRequest {
  suite: Suite;
  pan: string;
  psn: string;
  atc: Bytes;
  arqc: Bytes;
  /** CDOL1 related data as sent in the first GENERATE AC. */
  cdolData: Bytes;
  aip: Bytes;
  /** Issuer application data 9F10 (carries the CVR). */
  iad: Bytes;
}

export interface AuthorisationResponse {
  /** Whether the ARQC is the card's. */
  arqcValid: boolean;
  arc: Bytes;
  arpc: Bytes;
}

export type ScriptKind = 'application block' | 'application unblock' | 'card block' | 'PIN unblock' | 'PIN change' | 'put data';

export const SCRIPT_KINDS: readonly ScriptKind[] = [
  'application block',
  'application unblock',
  'card block',
  'PIN unblock',
  'PIN change',
  'put data',
];

/** A script kind by its name, as scenarios write it. */
export function parseScriptKind(text: string): ScriptKind {
  const k = SCRIPT_KINDS.find((x) => x === text);
  if (!k) throw new Error(`unknown issuer script "${text}" (${SCRIPT_KINDS.join(', ')})`);
  return k;
}

export interface ScriptOptions {
  /** Flip a bit of the MAC. */
  wrongMac?: boolean;
  /** Send the command in plain (CLA without secure messaging, no MAC). */
  plain?: boolean;
  /** PIN change: the new PIN. */
  newPin?: string;
  /** PUT DATA: the tag (e.g. 0x9F23) and its new value. */
  tag?: number;
  value?: Bytes;
}

function symmetric(suite: Suite): '3des' | 'sm4' {
  return suite === 'sm' ? 'sm4' : '3des';
}

/** The card verification results in the issuer application data (07 DKI CVN CVR(4) alg). */
export function cvrOf(iad: Bytes): Bytes {
  return iad.slice(3, 7);
}

/** EMV plaintext PIN block: 2N ‖ PIN ‖ F… (8 bytes). */
export function plaintextPinBlock(pin: string): Bytes {
  if (!/^[0-9]{4,12}$/.test(pin)) throw new RangeError(`a PIN has 4 to 12 digits, got "${pin}"`);
  const hex = `2${pin.length.toString(16).toUpperCase()}${pin}`.padEnd(16, 'F');
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

export class IssuerHost {
  constructor(
    private readonly keyset: Keyset,
    readonly options: { decline?: boolean } = {},
  ) {}

  private udks(suite: Suite, pan: string, psn: string) {
    const mdk = this.keyset.pbocMasterKeys();
    const sym = symmetric(suite);
    return { ac: udk(sym, mdk.ac.value, pan, psn), mac: udk(sym, mdk.mac.value, pan, psn), enc: udk(sym, mdk.enc.value, pan, psn) };
  }

  /** The ARQC the card should have computed (the harness's independent check). */
  expectedCryptogram(req: Omit<AuthorisationRequest, 'arqc'>): Bytes {
    const sym = symmetric(req.suite);
    const sk = sessionKey(sym, this.udks(req.suite, req.pan, req.psn).ac, req.atc);
    return applicationCryptogram(sym, sk, concat(req.cdolData, req.aip, req.atc, cvrOf(req.iad)));
  }

  /** Checks the ARQC and answers ARPC ‖ ARC: approved when the ARQC is valid and the host approves. */
  authorise(req: AuthorisationRequest): AuthorisationResponse {
    const arqcValid = equal(this.expectedCryptogram(req), req.arqc);
    const arc = arqcValid && !this.options.decline ? ARC.approved : ARC.declined;
    return { arqcValid, arc, arpc: this.arpc(req, arc) };
  }

  /** ARPC method 1 for a cryptogram and response code. */
  arpc(req: Pick<AuthorisationRequest, 'suite' | 'pan' | 'psn' | 'atc' | 'arqc'>, arc: Bytes): Bytes {
    const sym = symmetric(req.suite);
    const sk = sessionKey(sym, this.udks(req.suite, req.pan, req.psn).ac, req.atc);
    return arpcMethod1(sym, sk, req.arqc, arc);
  }

  /** An issuer script command for the card of the transaction `req`. */
  script(kind: ScriptKind, req: Pick<AuthorisationRequest, 'suite' | 'pan' | 'psn' | 'atc' | 'arqc'>, options: ScriptOptions = {}): Bytes {
    const sym = symmetric(req.suite);
    const keys = this.udks(req.suite, req.pan, req.psn);
    let header: number[];
    let data: Bytes = new Uint8Array(0);
    switch (kind) {
      case 'application block':
        header = [0x84, 0x1e, 0x00, 0x00];
        break;
      case 'application unblock':
        header = [0x84, 0x18, 0x00, 0x00];
        break;
      case 'card block':
        header = [0x84, 0x16, 0x00, 0x00];
        break;
      case 'PIN unblock':
        header = [0x84, 0x24, 0x00, 0x00];
        break;
      case 'PIN change': {
        header = [0x84, 0x24, 0x00, 0x02];
        const encSk = sessionKey(sym, keys.enc, req.atc);
        data = encryptEcb(sym, encSk, pad(plaintextPinBlock(options.newPin ?? '000000'), blockSize(sym), 1));
        break;
      }
      case 'put data': {
        const tag = options.tag ?? 0x9f23;
        header = [0x04, 0xda, tag >> 8, tag & 0xff];
        data = options.value ?? new Uint8Array(1);
        break;
      }
    }
    if (options.plain) return encodeCommand(command(header[0]! & ~0x04, header[1]!, header[2]!, header[3]!, data));
    const macSk = sessionKey(sym, keys.mac, req.atc);
    const mac = scriptMac(sym, macSk, new Uint8Array(header), req.atc, req.arqc, data);
    if (options.wrongMac) mac[mac.length - 1]! ^= 0x01;
    return encodeCommand(command(header[0]!, header[1]!, header[2]!, header[3]!, concat(data, mac)));
  }
}
