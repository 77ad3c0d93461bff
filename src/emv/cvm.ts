/**
 * Cardholder verification, EMV 4.x Book 3 §10.5 with the CVM List coding of
 * Annex C3 (Tables 39 and 40) and the CVM Results rules of Book 4 §6.3.4
 * (Table 2); JR/T 0025 the same, plus CVM code 100000 "cardholder ID
 * presentation" (持卡人证件出示), supported when Terminal Capabilities byte 2
 * b1 is set.
 *
 * CVM List (tag 8E): Amount X (b4), Amount Y (b4) — binary, in the minor unit
 * of the application currency — then CV Rules of two bytes:
 *
 *   byte 1  b8 RFU, b7 1 = apply succeeding CV Rule if this CVM is
 *           unsuccessful (0 = fail cardholder verification), b6-b1 CVM code
 *   byte 2  CVM condition code
 *
 * Processing (Book 3 §10.5): rules in list order; a rule whose condition is
 * not satisfied (or not understood, or needs data that is absent) is
 * skipped. A rule whose condition is satisfied is performed when the
 * terminal recognises and supports its CVM; if the CVM is successful
 * verification ends, otherwise b7 says whether to go on with the next rule
 * or to fail. An unrecognised CVM sets 'Unrecognised CVM'; a PIN CVM the
 * terminal cannot do sets 'PIN entry required and PIN pad not present or not
 * working' (online PIN not supported, or neither offline PIN supported).
 * When verification fails, 'Cardholder verification was not successful' is
 * set. CVM Results (9F34): the rule and condition of the last CVM performed
 * with 00 unknown (signature, online PIN, PIN + signature), 01 failed, 02
 * successful; '3F' (no CVM performed) when none was (Book 4 §6.3.4.5).
 */
import { type Bytes, concat, equal, fromHex, readUint, toHex, uint } from '../core/bytes.ts';
import { numericBytes, terminalTypeInfo, type TerminalTransaction } from './data.ts';
import { type TvrBit, newTsi, newTvr, setTsi, setTvr } from './tvr.ts';

export class CvmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CvmError';
  }
}

/** CVM codes (b6-b1 of CV Rule byte 1), Book 3 Annex C3 Table 39 and JR/T 0025. */
export const CVM_CODES = {
  fail: 0x00,
  offlinePlaintextPin: 0x01,
  onlinePin: 0x02,
  offlinePlaintextPinAndSignature: 0x03,
  offlineEncipheredPin: 0x04,
  offlineEncipheredPinAndSignature: 0x05,
  signature: 0x1e,
  noCvmRequired: 0x1f,
  /** JR/T 0025: cardholder ID presentation (持卡人证件出示). */
  cardholderId: 0x20,
} as const;

export type CvmMethod = keyof typeof CVM_CODES | 'unrecognised';

const METHOD_NAMES: Record<CvmMethod, string> = {
  fail: 'Fail CVM processing',
  offlinePlaintextPin: 'Plaintext PIN verification performed by ICC',
  onlinePin: 'Enciphered PIN verified online',
  offlinePlaintextPinAndSignature: 'Plaintext PIN verification performed by ICC and signature (paper)',
  offlineEncipheredPin: 'Enciphered PIN verification performed by ICC',
  offlineEncipheredPinAndSignature: 'Enciphered PIN verification performed by ICC and signature (paper)',
  signature: 'Signature (paper)',
  noCvmRequired: 'No CVM required',
  cardholderId: 'Cardholder ID presentation (JR/T 0025)',
  unrecognised: 'Unrecognised CVM',
};

/** CVM condition codes, Book 3 Annex C3 Table 40. */
export const CVM_CONDITIONS: Readonly<Record<number, string>> = {
  0x00: 'Always',
  0x01: 'If unattended cash',
  0x02: 'If not unattended cash and not manual cash and not purchase with cashback',
  0x03: 'If terminal supports the CVM',
  0x04: 'If manual cash',
  0x05: 'If purchase with cashback',
  0x06: 'If transaction is in the application currency and is under X value',
  0x07: 'If transaction is in the application currency and is over X value',
  0x08: 'If transaction is in the application currency and is under Y value',
  0x09: 'If transaction is in the application currency and is over Y value',
};

export interface CvRule {
  /** CV Rule byte 1 as on the card (b7 included). */
  code: number;
  /** CVM condition code (byte 2). */
  condition: number;
  method: CvmMethod;
  /** b7: apply the succeeding CV Rule if this CVM is unsuccessful. */
  applySucceeding: boolean;
}

export interface CvmList {
  /** Amount X, minor unit of the application currency. */
  amountX: number;
  /** Amount Y, minor unit of the application currency. */
  amountY: number;
  rules: CvRule[];
}

export function cvmMethodOf(code: number): CvmMethod {
  const c = code & 0x3f;
  for (const [k, v] of Object.entries(CVM_CODES) as [keyof typeof CVM_CODES, number][]) if (v === c) return k;
  return 'unrecognised';
}

/** Parses a CVM List (tag 8E value). @throws CvmError when shorter than 8 bytes or ending inside a rule. */
export function parseCvmList(value: Bytes): CvmList {
  if (value.length < 8) throw new CvmError(`CVM list ${toHex(value)} is shorter than the 8 bytes of amounts X and Y`);
  if ((value.length - 8) % 2 !== 0) throw new CvmError(`CVM list ${toHex(value)} ends inside a CV rule`);
  const rules: CvRule[] = [];
  for (let i = 8; i < value.length; i += 2) {
    const code = value[i]!;
    rules.push({ code, condition: value[i + 1]!, method: cvmMethodOf(code), applySucceeding: (code & 0x40) !== 0 });
  }
  return { amountX: readUint(value, 0, 4), amountY: readUint(value, 4, 4), rules };
}

/** Encodes a CVM List; rules given as [CV Rule byte 1, condition] pairs. */
export function encodeCvmList(amountX: number, amountY: number, rules: readonly (readonly [number, number])[]): Bytes {
  return concat(uint(amountX, 4), uint(amountY, 4), ...rules.map(([c, k]) => [c & 0xff, k & 0xff]));
}

export function describeCvRule(rule: Pick<CvRule, 'code' | 'condition'>): string {
  const method = cvmMethodOf(rule.code);
  const name = method === 'unrecognised' ? `unrecognised CVM ${toHex([rule.code & 0x3f])}` : METHOD_NAMES[method];
  const cond = CVM_CONDITIONS[rule.condition] ?? `condition ${toHex([rule.condition])} (RFU or payment system)`;
  return `${name}; ${cond}; ${rule.code & 0x40 ? 'apply succeeding CV Rule if unsuccessful' : 'fail cardholder verification if unsuccessful'}`;
}

/** Describes CVM Results 9F34 (Book 4 Annex A4). */
export function describeCvmResults(results: Bytes): string {
  if (results.length !== 3) throw new CvmError(`CVM results must be 3 bytes, got ${toHex(results)}`);
  const outcome =
    ({ 0: 'unknown', 1: 'failed', 2: 'successful' } as Record<number, string>)[results[2]!] ?? `RFU result ${toHex([results[2]!])}`;
  if ((results[0]! & 0x3f) === 0x3f) return `no CVM performed; ${outcome}`;
  return `${describeCvRule({ code: results[0]!, condition: results[1]! })}; ${outcome}`;
}

/** Terminal Capabilities 9F33 byte 2, CVM capability (Book 4 Annex A2; b1 JR/T 0025). */
export const CVM_CAPABILITY = {
  plaintextPin: 0x80,
  onlinePin: 0x40,
  signature: 0x20,
  encipheredPin: 0x10,
  noCvm: 0x08,
  cardholderId: 0x01,
} as const;

/** True when the terminal, by its capabilities 9F33, supports the CVM (Book 4 §6.3.4: both halves of a combination; 'fail' always). */
export function terminalSupports(method: CvmMethod, terminalCapabilities: Bytes): boolean {
  const b = terminalCapabilities[1] ?? 0;
  const has = (m: number) => (b & m) !== 0;
  switch (method) {
    case 'fail':
      return true;
    case 'offlinePlaintextPin':
      return has(CVM_CAPABILITY.plaintextPin);
    case 'onlinePin':
      return has(CVM_CAPABILITY.onlinePin);
    case 'offlinePlaintextPinAndSignature':
      return has(CVM_CAPABILITY.plaintextPin) && has(CVM_CAPABILITY.signature);
    case 'offlineEncipheredPin':
      return has(CVM_CAPABILITY.encipheredPin);
    case 'offlineEncipheredPinAndSignature':
      return has(CVM_CAPABILITY.encipheredPin) && has(CVM_CAPABILITY.signature);
    case 'signature':
      return has(CVM_CAPABILITY.signature);
    case 'noCvmRequired':
      return has(CVM_CAPABILITY.noCvm);
    case 'cardholderId':
      return has(CVM_CAPABILITY.cardholderId);
    case 'unrecognised':
      return false;
  }
}

/** PIN verification asked of the caller: the PIN pad and, for offline PIN, the VERIFY command. */
export type PinKind = 'offline-plaintext' | 'offline-enciphered' | 'online';
/**
 * - `ok`: offline PIN verified by the card (VERIFY 9000) / online PIN entered and enciphered;
 * - `failed`: offline PIN wrong with tries left (VERIFY 63Cx, x > 0) / online PIN pad not working;
 * - `blocked`: PIN try limit exceeded (VERIFY 6983 or 63C0);
 * - `not-entered`: PIN entry bypassed by the cardholder or attendant.
 */
export type PinOutcome = 'ok' | 'failed' | 'blocked' | 'not-entered';
export type PinVerifier = (kind: PinKind) => Promise<PinOutcome>;

/**
 * The outcome of an offline PIN from the card's answer to VERIFY (Book 3
 * §6.5.12, §10.5.1): 9000 verified; 63C0 (no tries left) or 6983
 * (blocked) the PIN Try Limit exceeded; any other status a wrong PIN.
 */
export function pinOutcomeOfVerify(sw: number): PinOutcome {
  if (sw === 0x9000) return 'ok';
  if (sw === 0x63c0 || sw === 0x6983) return 'blocked';
  return 'failed';
}

export interface CvmContext {
  /** 9F33. */
  terminalCapabilities: Bytes;
  /** Amount, Authorised 9F02 in the minor unit. */
  amount: number;
  /** Transaction currency 5F2A, 4 digits. */
  transactionCurrency: string;
  /** Application currency code 9F42 from the card, when present. */
  applicationCurrency?: Bytes;
  /** A cash transaction (9C 01). */
  cash: boolean;
  /** A purchase with cashback (9C 09, or an Amount, Other). */
  cashback: boolean;
  /** The terminal is unattended (9F35 second digit 4-6). */
  unattended: boolean;
  /** PIN Try Counter 9F17 from GET DATA; undefined when not retrievable (Book 4 §6.3.4.1). */
  pinTryCounter?: number;
}

/** The CVM context of a transaction and the card's data elements (9F42). */
export function cvmContextOf(t: TerminalTransaction, card: ReadonlyMap<number, Bytes> = new Map(), pinTryCounter?: number): CvmContext {
  const ctx: CvmContext = {
    terminalCapabilities: t.terminalCapabilities,
    amount: t.amountAuthorised,
    transactionCurrency: t.currency,
    cash: t.type === '01',
    cashback: t.type === '09' || (t.type !== '01' && t.amountOther > 0),
    unattended: !terminalTypeInfo(t.terminalType).attended,
  };
  const appCurrency = card.get(0x9f42);
  if (appCurrency) ctx.applicationCurrency = appCurrency;
  if (pinTryCounter !== undefined) ctx.pinTryCounter = pinTryCounter;
  return ctx;
}

/** Whether a CV Rule's condition is satisfied (Book 3 Annex C3 Table 40); RFU / payment-system codes are not. */
export function conditionSatisfied(rule: CvRule, list: Pick<CvmList, 'amountX' | 'amountY'>, ctx: CvmContext): boolean {
  const inAppCurrency = () =>
    ctx.applicationCurrency !== undefined && equal(ctx.applicationCurrency, numericBytes(ctx.transactionCurrency, 2));
  switch (rule.condition) {
    case 0x00:
      return true;
    case 0x01:
      return ctx.cash && ctx.unattended;
    case 0x02:
      return !ctx.cash && !ctx.cashback;
    case 0x03:
      return terminalSupports(rule.method, ctx.terminalCapabilities);
    case 0x04:
      return ctx.cash && !ctx.unattended;
    case 0x05:
      return ctx.cashback;
    case 0x06:
      return inAppCurrency() && ctx.amount < list.amountX;
    case 0x07:
      return inAppCurrency() && ctx.amount > list.amountX;
    case 0x08:
      return inAppCurrency() && ctx.amount < list.amountY;
    case 0x09:
      return inAppCurrency() && ctx.amount > list.amountY;
    default:
      return false;
  }
}

export interface CvmOptions {
  /** Application Interchange Profile 82: when given with byte 1 b5 = 0 the card does not support cardholder verification. */
  aip?: Bytes;
  /** Checks the cardholder's ID for the JR/T 0025 CVM; when absent the result is 'unknown' (like a signature). */
  checkId?: () => Promise<boolean>;
  /**
   * A recognised CVM the terminal does not support: `apply-b7` (default)
   * counts it as unsuccessful, so b7 decides; `skip` goes on with the next
   * rule whatever b7 says.
   */
  unsupported?: 'apply-b7' | 'skip';
  /** Once PIN entry is bypassed, bypass every later PIN CVM without asking again (Book 4 §6.3.4.3; default true). */
  bypassAllPins?: boolean;
  /** TVR / TSI to set bits in (default fresh ones). */
  tvr?: Bytes;
  tsi?: Bytes;
}

export interface CvmStep {
  rule: CvRule;
  /** What happened to the rule. */
  outcome: 'condition not satisfied' | 'unrecognised' | 'not supported' | 'successful' | 'unknown' | 'failed';
  note?: string;
}

export interface CvmOutcome {
  /** CVM Results 9F34. */
  cvmResults: Bytes;
  tvr: Bytes;
  tsi: Bytes;
  /**
   * `successful`: a CVM was performed with result successful or unknown;
   * `failed`: 'Cardholder verification was not successful' is set;
   * `not performed`: the card does not support cardholder verification or has no CVM List.
   */
  status: 'successful' | 'failed' | 'not performed';
  /** A signature has to be captured on the receipt. */
  signature: boolean;
  /** An enciphered PIN goes online with the authorisation request. */
  onlinePin: boolean;
  /** The rules looked at, in order. */
  steps: CvmStep[];
}

const PIN_KIND: Partial<Record<CvmMethod, PinKind>> = {
  offlinePlaintextPin: 'offline-plaintext',
  offlinePlaintextPinAndSignature: 'offline-plaintext',
  offlineEncipheredPin: 'offline-enciphered',
  offlineEncipheredPinAndSignature: 'offline-enciphered',
  onlinePin: 'online',
};

/**
 * Cardholder verification (Book 3 §10.5) over the CVM List `list` (8E
 * value, parsed list, or undefined when absent). PIN entry and offline PIN
 * verification are left to `verify`.
 * @throws CvmError when the CVM List bytes are malformed ({@link parseCvmList}).
 */
export async function performCvm(
  list: Bytes | CvmList | undefined,
  ctx: CvmContext,
  verify: PinVerifier,
  opts: CvmOptions = {},
): Promise<CvmOutcome> {
  const tvr = opts.tvr ?? newTvr();
  const tsi = opts.tsi ?? newTsi();
  const steps: CvmStep[] = [];
  const set = (b: TvrBit) => setTvr(tvr, b);
  const done = (cvmResults: Bytes, extra: Partial<CvmOutcome> = {}): CvmOutcome => ({
    cvmResults,
    tvr,
    tsi,
    status: 'failed',
    signature: false,
    onlinePin: false,
    steps,
    ...extra,
  });

  // the card does not support cardholder verification (Book 4 §6.3.4.5 Table 2, first row)
  if (opts.aip && ((opts.aip[0] ?? 0) & 0x10) === 0) return done(fromHex('3F0000'), { status: 'not performed' });
  const parsed = list instanceof Uint8Array ? parseCvmList(list) : list;
  // no CVM List, or one without rules: 'ICC data missing' (Book 3 §7.3), no TSI bit (§10.5)
  if (!parsed || parsed.rules.length === 0) {
    set('iccDataMissing');
    return done(fromHex('3F0000'), { status: 'not performed' });
  }
  setTsi(tsi, 'cvmPerformed');

  let last: { rule: CvRule; result: number } | undefined;
  let pinBypassed = false;
  const fail = () => {
    set('cvmFailed');
    return done(last ? Uint8Array.of(last.rule.code, last.rule.condition, 0x01) : fromHex('3F0001'));
  };

  for (const rule of parsed.rules) {
    if (!conditionSatisfied(rule, parsed, ctx)) {
      steps.push({ rule, outcome: 'condition not satisfied' });
      continue;
    }
    if (rule.method === 'unrecognised') {
      set('unrecognisedCvm');
      steps.push({ rule, outcome: 'unrecognised' });
      if (rule.applySucceeding) continue;
      return fail();
    }
    if (!terminalSupports(rule.method, ctx.terminalCapabilities)) {
      const kind = PIN_KIND[rule.method];
      const caps = ctx.terminalCapabilities[1] ?? 0;
      if (kind === 'online' || (kind !== undefined && (caps & (CVM_CAPABILITY.plaintextPin | CVM_CAPABILITY.encipheredPin)) === 0))
        set('pinPadMissing');
      steps.push({ rule, outcome: 'not supported' });
      if (rule.applySucceeding || opts.unsupported === 'skip') continue;
      return fail();
    }

    // perform the CVM: result 00 unknown, 01 failed, 02 successful
    let result: number;
    let note: string | undefined;
    const kind = PIN_KIND[rule.method];
    if (rule.method === 'fail') result = 0x01;
    else if (rule.method === 'noCvmRequired') result = 0x02;
    else if (rule.method === 'signature') result = 0x00;
    else if (rule.method === 'cardholderId') result = opts.checkId ? ((await opts.checkId()) ? 0x02 : 0x01) : 0x00;
    else if (kind) {
      let outcome: PinOutcome;
      if (kind !== 'online' && ctx.pinTryCounter === 0) {
        outcome = 'blocked';
        note = 'PIN Try Counter is 0: no offline PIN entry (Book 4 §6.3.4.1)';
      } else if (pinBypassed && opts.bypassAllPins !== false) {
        outcome = 'not-entered';
        note = 'PIN entry already bypassed in this transaction (Book 4 §6.3.4.3)';
      } else outcome = await verify(kind);
      if (outcome === 'not-entered') {
        pinBypassed = true;
        set('pinNotEntered');
        result = 0x01;
      } else if (kind === 'online') {
        if (outcome === 'ok') {
          set('onlinePinEntered');
          result = 0x00;
        } else {
          set('pinPadMissing');
          note ??= 'online PIN could not be entered (PIN pad not working)';
          result = 0x01;
        }
      } else if (outcome === 'blocked') {
        set('pinTryLimitExceeded');
        result = 0x01;
      } else if (outcome === 'ok')
        result = rule.method === 'offlinePlaintextPinAndSignature' || rule.method === 'offlineEncipheredPinAndSignature' ? 0x00 : 0x02;
      else result = 0x01;
    } else result = 0x01;

    last = { rule, result };
    const step: CvmStep = { rule, outcome: result === 0x02 ? 'successful' : result === 0x00 ? 'unknown' : 'failed' };
    if (note) step.note = note;
    steps.push(step);
    if (result !== 0x01) {
      return done(Uint8Array.of(rule.code, rule.condition, result), {
        status: 'successful',
        signature:
          rule.method === 'signature' ||
          rule.method === 'offlinePlaintextPinAndSignature' ||
          rule.method === 'offlineEncipheredPinAndSignature',
        onlinePin: rule.method === 'onlinePin',
      });
    }
    if (!rule.applySucceeding) return fail();
  }
  // end of the list without a successful CVM
  return fail();
}
