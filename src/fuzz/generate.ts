/**
 * What the fuzzer does next: a weighted choice, aware of the card and of what
 * it has seen, between single commands of any instruction, environment
 * switches, resets and power cuts, security commands made with the card's
 * secrets (right or wrong), and complete PBOC transactions with issuer
 * scripts. Multi-command flows come back as a list of actions, each of which
 * can be dropped on its own when a failure is shrunk.
 */
import {
  type Fault,
  type SecuredKind,
  challengeAction,
  changePinAction,
  externalAuthAction,
  keyInfoAction,
  psamAction,
  securedAction,
  verifyAction,
} from './gen-auth.ts';
import {
  SCRIPT_KINDS,
  ddaAction,
  gacAction,
  getDataAction,
  gpoAction,
  issuerAuthAction,
  offlinePinAction,
  readAflAction,
  scriptAction,
  selectAdfAction,
} from './gen-pboc.ts';
import { followUpAction, rawAction, selectAction } from './gen-raw.ts';
import type { Prng } from './prng.ts';
import type { Action, World } from './world.ts';

type Family = 'raw' | 'select' | 'auth' | 'secured' | 'pboc' | 'psam' | 'reset' | 'tear';

function envKind(w: World, kind: string) {
  return w.know.envs.find((e) => e.kind === kind);
}

function selectEnv(w: World, kind: string, rng: Prng): Action {
  const e = envKind(w, kind);
  const seed = rng.fork();
  const fid = e?.df.fid;
  if (!e || (!e.name && fid === undefined)) return selectAction(seed);
  const data = e.name ?? Uint8Array.of(fid! >> 8, fid! & 0xff);
  const p1 = e.name ? 0x04 : 0x00;
  return {
    name: `select-${kind}`,
    seed,
    make: () => ({ kind: 'apdu', apdu: Uint8Array.of(0x00, 0xa4, p1, 0x00, data.length, ...data) }),
  };
}

function authFlow(w: World, rng: Prng): Action[] {
  const out: Action[] = [];
  const right = rng.chance(0.6);
  if (rng.chance(0.4)) out.push(selectEnv(w, rng.pick(w.know.envs.flatMap((e) => (e.kind ? [e.kind] : []))), rng));
  switch (rng.int(6)) {
    case 0:
    case 1:
      out.push(challengeAction(rng.fork()), externalAuthAction(rng.fork(), right));
      break;
    case 2:
    case 3:
      out.push(verifyAction(rng.fork(), rng.pick(['right', 'wrong', 'wrong', 'query'] as const)));
      break;
    case 4:
      out.push(envKind(w, 'SSSE') && rng.chance(0.7) ? changePinAction(rng.fork(), right) : keyInfoAction(rng.fork()));
      break;
    default:
      out.push(challengeAction(rng.fork()), keyInfoAction(rng.fork()));
  }
  return out;
}

const SECURED: readonly (readonly [SecuredKind, number])[] = [
  ['block', 3],
  ['unblock', 4],
  ['card-block', 0.3],
  ['pin-unblock', 3],
  ['pin-reload', 3],
  ['update', 4],
  ['write-key', 1],
  ['write-pin', 1],
];

function securedFlow(w: World, rng: Prng): Action[] {
  const out: Action[] = [];
  if (rng.chance(0.4)) out.push(selectEnv(w, rng.chance(0.8) ? 'SSSE' : rng.pick(['PSE', 'MF']), rng));
  const kind = rng.weighted(SECURED);
  const fault = rng.weighted<Fault>([
    ['none', 6],
    ['wrong-mac', 2],
    ['plain', 1],
    ['other-key', 1],
  ]);
  if (rng.chance(0.9)) out.push(challengeAction(rng.fork()));
  out.push(securedAction(rng.fork(), kind, fault));
  return out;
}

/** GET RESPONSE (or the command again with the right Le) after a command that may leave its answer waiting, mostly. */
function fetch(out: Action[], rng: Prng, p: number): void {
  if (rng.chance(p)) out.push(followUpAction(rng.fork()));
}

/** A PBOC transaction: some steps skipped, repeated or out of order, issuer scripts of every kind and length. */
function pbocFlow(rng: Prng): Action[] {
  const out: Action[] = [];
  if (rng.chance(0.9)) out.push(selectAdfAction(rng.fork()));
  out.push(gpoAction(rng.fork(), rng.chance(0.95) ? 'right' : 'wrong'));
  fetch(out, rng, 0.7);
  for (let i = rng.pick([0, 1, 2, 4]); i > 0; i--) {
    out.push(readAflAction(rng.fork()));
    fetch(out, rng, 0.6);
  }
  if (rng.chance(0.2)) out.push(getDataAction(rng.fork()));
  if (rng.chance(0.25)) out.push(offlinePinAction(rng.fork(), rng.chance(0.6)));
  if (rng.chance(0.03)) out.push(ddaAction(rng.fork()));
  const type = rng.weighted<'ARQC' | 'TC' | 'AAC'>([
    ['ARQC', 8],
    ['TC', 1],
    ['AAC', 1],
  ]);
  out.push(gacAction(rng.fork(), false, type, rng.chance(0.03)));
  fetch(out, rng, 0.9);
  if (rng.chance(0.8)) out.push(issuerAuthAction(rng.fork(), rng.chance(0.85)));
  for (let i = rng.pick([0, 1, 1, 2, 3, 5]); i > 0; i--) {
    const kind = rng.weighted(SCRIPT_KINDS.map((k) => [k, k === 'card-block' ? 0.2 : k === 'sized' ? 4 : 2] as const));
    const fault = rng.weighted<'none' | 'wrong-mac' | 'plain'>([
      ['none', 8],
      ['wrong-mac', 2],
      ['plain', 1],
    ]);
    out.push(scriptAction(rng.fork(), kind, fault));
  }
  if (rng.chance(0.85)) {
    out.push(
      gacAction(
        rng.fork(),
        true,
        rng.weighted<'TC' | 'AAC' | 'ARQC'>([
          ['TC', 6],
          ['AAC', 3],
          ['ARQC', 1],
        ]),
        rng.chance(0.02),
      ),
    );
    fetch(out, rng, 0.5);
  }
  return out;
}

function psamFlow(w: World, rng: Prng): Action[] {
  const out: Action[] = [];
  if (rng.chance(0.5)) out.push(selectEnv(w, 'PSAM', rng));
  out.push(psamAction(rng.fork(), 'init'));
  for (let i = rng.range(0, 3); i > 0; i--) out.push(psamAction(rng.fork(), 'calc'));
  return out;
}

/** A power cut at the k-th persistent write of the next command (a command that writes, mostly). */
function tearAction(w: World, rng: Prng): Action[] {
  const inner = rng.pick<() => Action[]>([
    () => [verifyAction(rng.fork(), rng.chance(0.5) ? 'right' : 'wrong')],
    () => [challengeAction(rng.fork()), externalAuthAction(rng.fork(), rng.chance(0.5))],
    () => securedFlow(w, rng),
    () => [rawAction(rng.fork())],
  ])();
  const last = inner.pop()!;
  const write = rng.range(1, 4);
  return [
    ...inner,
    {
      name: `tear-${last.name}`,
      seed: last.seed,
      make(world, r) {
        const step = last.make(world, r);
        return step.kind === 'apdu' ? { kind: 'tear', write, apdu: step.apdu } : step;
      },
    },
  ];
}

/** The next action or actions of an episode. */
export function nextActions(w: World, rng: Prng): Action[] {
  if ((w.live.pending || w.live.wrongLe) && rng.chance(0.7)) return [followUpAction(rng.fork())];
  const hasSsse = envKind(w, 'SSSE') !== undefined;
  const hasPboc = w.know.pboc !== undefined;
  const hasPsam = envKind(w, 'PSAM') !== undefined;
  const family = rng.weighted<Family>([
    ['raw', 40],
    ['select', 14],
    ['auth', 14],
    ['secured', hasSsse ? 8 : 2],
    ['pboc', hasPboc ? 4 : 0],
    ['psam', hasPsam ? 10 : 0],
    ['reset', 2],
    ['tear', 0.7],
  ]);
  switch (family) {
    case 'raw':
      return [rawAction(rng.fork())];
    case 'select':
      return [selectAction(rng.fork())];
    case 'auth':
      return authFlow(w, rng);
    case 'secured':
      return securedFlow(w, rng);
    case 'pboc':
      return pbocFlow(rng);
    case 'psam':
      return psamFlow(w, rng);
    case 'reset':
      return [{ name: 'reset', seed: 0, make: () => ({ kind: 'reset' }) }];
    case 'tear':
      return tearAction(w, rng);
  }
}
