/**
 * `ssc-lab keys`: key-management helpers for lab engineers — check values,
 * key components, dispersion, the PBOC card and session keys, and MACs —
 * computed with `src/crypto/`. Every result is upper-case hex on one line
 * (keys followed by their KCV), or one JSON object with `--json`.
 *
 * Usage problems (bad hex, a wrong key length, an unknown algorithm, a
 * missing flag, a PAN with non-digits …) are one line on stderr,
 * `ssc-lab: keys <sub>: …`, and exit code 2. Errors raised by the crypto
 * library (KeyLengthError, RangeError, HexError, PaddingError) are turned into
 * UsageError here.
 */
import { parseArgs } from 'node:util';
import { type Bytes, HexError, fromHex, toHex } from '../core/bytes.ts';
import { type BlockAlg, isBlockAlg } from '../crypto/block.ts';
import { combine, randomKey } from '../crypto/components.ts';
import { diversify, optionA, pbocSessionKey } from '../crypto/derive.ts';
import { kcv } from '../crypto/kcv.ts';
import { MAC_ALGS, type MacOptions, isMacAlg, mac } from '../crypto/mac.ts';
import { PaddingError } from '../crypto/padding.ts';
import { EXIT, UsageError } from './errors.ts';

export const KEYS_USAGE = `Usage: ssc-lab keys <subcommand> [flags] [--json]

  kcv         --alg 3des|sm4 --key HEX [--len N]
              key check value: the leftmost N bytes (default 3) of E(key, 00…00)
  components  --alg 3des|sm4 --count N [--show-combined]
              N random key components, each with its KCV, and the KCV of their XOR
              (the combined key itself only with --show-combined)
  combine     --alg 3des|sm4 --component HEX --component HEX [--component HEX ...]
              the XOR of the components: the key and its KCV
  diversify   --alg 3des|sm4 --key HEX --factor HEX
              one level of key dispersion: 3des E(K,F)‖E(K,¬F) with an 8-byte factor;
              sm4 SM4(K,F) with a 16-byte factor (8 bytes: F‖¬F). Run it twice for two levels.
  udk         --alg 3des|sm4 --imk HEX --pan DIGITS --psn NN      (PAN: 12 to 19 digits)
              card master key by EMV Option A (3des, parity adjusted);
              sm4: SM4(MDK, Y‖¬Y) (observed, PBOC 3.0)
  session     --alg 3des|sm4 --udk HEX --atc HEX
              PBOC session key from the UDK and the 2-byte ATC (not the EMV common session key)
  mac         --alg iso9797-1-m3|des-cbc|3des-cbc|sm4-cbc --key HEX --data HEX
              [--iv HEX] [--pad 1|2|3] [--len N]
              ISO/IEC 9797-1 MAC; defaults: zero IV, padding method 2, the whole block

Keys print as upper-case hex followed by their 3-byte KCV; --json prints one JSON object.
Hex may contain spaces or colons. Usage errors: one line on stderr, exit code 2.`;

const SUBCOMMANDS = ['kcv', 'components', 'combine', 'diversify', 'udk', 'session', 'mac'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The flags of each subcommand (all take --json and --help as well). */
const OPTIONS: Record<Subcommand, OptionSpec> = {
  kcv: { alg: { type: 'string' }, key: { type: 'string' }, len: { type: 'string' } },
  components: { alg: { type: 'string' }, count: { type: 'string' }, 'show-combined': { type: 'boolean' } },
  combine: { alg: { type: 'string' }, component: { type: 'string', multiple: true } },
  diversify: { alg: { type: 'string' }, key: { type: 'string' }, factor: { type: 'string' } },
  udk: { alg: { type: 'string' }, imk: { type: 'string' }, pan: { type: 'string' }, psn: { type: 'string' } },
  session: { alg: { type: 'string' }, udk: { type: 'string' }, atc: { type: 'string' } },
  mac: {
    alg: { type: 'string' },
    key: { type: 'string' },
    data: { type: 'string' },
    iv: { type: 'string' },
    pad: { type: 'string' },
    len: { type: 'string' },
  },
};

/** One subcommand's parsed flags, with helpers that throw UsageError naming the subcommand. */
class Args {
  constructor(
    readonly sub: Subcommand,
    readonly values: Values,
  ) {}

  fail(message: string): never {
    throw new UsageError(`keys ${this.sub}: ${message}`);
  }

  get json(): boolean {
    return this.values.json === true;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  optional(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  required(name: string): string {
    const v = this.optional(name);
    if (v === undefined) this.fail(`missing --${name}`);
    return v;
  }

  hex(name: string, text: string): Bytes {
    try {
      return fromHex(text);
    } catch (e) {
      if (e instanceof HexError) this.fail(`--${name}: ${e.message}`);
      throw e;
    }
  }

  requiredHex(name: string): Bytes {
    return this.hex(name, this.required(name));
  }

  blockAlg(): BlockAlg {
    const alg = this.required('alg');
    if (!isBlockAlg(alg)) this.fail(`unknown algorithm "${alg}" (expected 3des or sm4)`);
    return alg;
  }

  int(name: string, min: number, max: number): number | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) this.fail(`--${name} takes a whole number from ${min} to ${max}, got "${text}"`);
    return n;
  }
}

/** parseArgs messages go on with advice about '--'; the first sentence is the point. */
function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  const cut = line.indexOf('. ');
  return cut > 0 ? line.slice(0, cut) : line;
}

function parse(sub: Subcommand, argv: string[]): Args {
  const options = { ...OPTIONS[sub], json: { type: 'boolean' as const }, help: { type: 'boolean' as const, short: 'h' } };
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return new Args(sub, values as Values);
  } catch (e) {
    throw new UsageError(`keys ${sub}: ${firstSentence((e as Error).message)}`);
  }
}

function keyResult(args: Args, alg: BlockAlg, key: Bytes): void {
  const k = toHex(key);
  const check = toHex(kcv(alg, key));
  if (args.json) console.log(JSON.stringify({ key: k, kcv: check }));
  else console.log(`${k}  KCV ${check}`);
}

const HANDLERS: Record<Subcommand, (args: Args) => void> = {
  kcv(args: Args) {
    const alg = args.blockAlg();
    const key = args.requiredHex('key');
    const len = args.int('len', 1, alg === '3des' ? 8 : 16) ?? 3;
    const check = toHex(kcv(alg, key, len));
    console.log(args.json ? JSON.stringify({ kcv: check }) : check);
  },

  components(args: Args) {
    const alg = args.blockAlg();
    const count = args.int('count', 2, 16);
    if (count === undefined) args.fail('missing --count');
    const parts = Array.from({ length: count }, () => randomKey(alg));
    const combined = combine(parts);
    const show = args.flag('show-combined');
    if (args.json) {
      const c: { key?: string; kcv: string } = { kcv: toHex(kcv(alg, combined)) };
      if (show) c.key = toHex(combined);
      console.log(JSON.stringify({ components: parts.map((p) => ({ key: toHex(p), kcv: toHex(kcv(alg, p)) })), combined: c }));
      return;
    }
    for (const [i, p] of parts.entries()) console.log(`component ${i + 1}  ${toHex(p)}  KCV ${toHex(kcv(alg, p))}`);
    console.log(show ? `combined  ${toHex(combined)}  KCV ${toHex(kcv(alg, combined))}` : `combined  KCV ${toHex(kcv(alg, combined))}`);
  },

  combine(args: Args) {
    const alg = args.blockAlg();
    const texts = (args.values.component as string[] | undefined) ?? [];
    if (texts.length < 2) args.fail(`needs at least 2 --component values, got ${texts.length}`);
    const parts = texts.map((t) => args.hex('component', t));
    keyResult(args, alg, combine(parts));
  },

  diversify(args: Args) {
    const alg = args.blockAlg();
    keyResult(args, alg, diversify(alg, args.requiredHex('key'), args.requiredHex('factor')));
  },

  udk(args: Args) {
    const alg = args.blockAlg();
    const imk = args.requiredHex('imk');
    // ISO/IEC 7812-1: a PAN has at most 19 digits; the lab's profiles take 12 to 19
    const pan = args.required('pan');
    if (!/^[0-9]{12,19}$/.test(pan)) args.fail(`--pan takes 12 to 19 digits, got "${pan}"`);
    keyResult(args, alg, optionA(alg, imk, pan, args.required('psn')));
  },

  session(args: Args) {
    const alg = args.blockAlg();
    keyResult(args, alg, pbocSessionKey(alg, args.requiredHex('udk'), args.requiredHex('atc')));
  },

  mac(args: Args) {
    const alg = args.required('alg');
    if (!isMacAlg(alg)) args.fail(`unknown algorithm "${alg}" (expected ${MAC_ALGS.join(', ')})`);
    const key = args.requiredHex('key');
    const data = args.requiredHex('data');
    const opts: MacOptions = {};
    const iv = args.optional('iv');
    if (iv !== undefined) opts.iv = args.hex('iv', iv);
    const padText = args.optional('pad');
    if (padText !== undefined) {
      if (padText !== '1' && padText !== '2' && padText !== '3') args.fail(`--pad takes 1, 2 or 3, got "${padText}"`);
      opts.pad = Number(padText) as 1 | 2 | 3;
    }
    const len = args.int('len', 1, 16);
    if (len !== undefined) opts.len = len;
    const m = toHex(mac(alg, key, data, opts));
    console.log(args.json ? JSON.stringify({ mac: m }) : m);
  },
};

function isSubcommand(s: string): s is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(s);
}

/** Library errors that are the user's input, as one usage line. */
function asUsageError(sub: string, e: unknown): UsageError | undefined {
  if (e instanceof UsageError) return e;
  if (e instanceof RangeError || e instanceof HexError || e instanceof PaddingError) {
    return new UsageError(`keys ${sub}: ${e.message.replace(/\s*\n\s*/g, ' ')}`);
  }
  return undefined;
}

/** `ssc-lab keys …`; returns the exit code. Usage errors are printed here (one line, exit 2). */
export async function keysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    console.log(KEYS_USAGE);
    return sub === undefined ? EXIT.USAGE : EXIT.OK;
  }
  try {
    if (!isSubcommand(sub))
      throw new UsageError(`keys ${sub}: unknown subcommand (available: ${SUBCOMMANDS.join(', ')}; try: ssc-lab keys help)`);
    const args = parse(sub, rest);
    if (args.flag('help')) {
      console.log(KEYS_USAGE);
      return EXIT.OK;
    }
    HANDLERS[sub](args);
    return EXIT.OK;
  } catch (e) {
    const u = asUsageError(sub, e);
    if (!u) throw e;
    console.error(`ssc-lab: ${u.message}`);
    return EXIT.USAGE;
  }
}
