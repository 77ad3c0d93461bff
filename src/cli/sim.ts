/**
 * `ssc-lab sim serve --vpcd [HOST:PORT] [--profile FILE]`: the simulated card
 * of a profile, personalised, offered to pcscd through vsmartcard's vpcd
 * driver, so that any PC/SC program sees it in a reader. Runs until SIGINT
 * or SIGTERM; reconnects when pcscd restarts.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toHex } from '../core/bytes.ts';
import { keysetPath, loadProfile, DEFAULT_PROFILE } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import { buildBlankCard } from '../sim/build.ts';
import { personalisedCard } from '../lab/cards.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { ControlServer } from '../vpcd/control.ts';
import { type VirtualCard, VpcdCardServer, parseEndpoint } from '../vpcd/card-server.ts';
import { onInterrupt } from '../core/interrupt.ts';
import { EXIT, UsageError } from './errors.ts';
import { intFlag, rejectEmpty } from './flags.ts';
import { TEST_CARDS_FILE, buildTestCard, loadTestCards, testCard, testCardProfile } from '../lab/test-cards.ts';

export const SIM_USAGE = `Usage: ssc-lab sim serve --vpcd [HOST:PORT] [--profile FILE | --card ID [--cards FILE]] [--fresh]
         [--remove-after N] [--control HOST:PORT] [--quiet]

  Offers the profile's card (personalised) to pcscd through the vpcd driver of
  vsmartcard (default 127.0.0.1:35963), until SIGINT or SIGTERM. With --fresh,
  every power-up (a cold reset) brings a freshly personalised sample, as a lab
  takes a new sample for each test case; a warm reset keeps the card. --card
  serves a card of the test-card set (cards/test-cards.json). --remove-after N
  answers N APDUs, then pulls the card out of the reader while the next
  command is in flight (the removal test) and exits. --control opens the
  fixture port (loopback): a run with --sim-control HOST:PORT asks there for a
  new sample, blank or personalised, for each scenario and arms power cuts,
  so that the simulator-only scenarios run over PC/SC too.`;

export async function simCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help') {
    console.log(SIM_USAGE);
    return sub === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (sub !== 'serve') throw new UsageError(`sim: unknown subcommand "${sub}" (serve)`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        vpcd: { type: 'boolean', default: false },
        profile: { type: 'string' },
        card: { type: 'string' },
        cards: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        'remove-after': { type: 'string' },
        control: { type: 'string' },
        quiet: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`sim serve: ${(e as Error).message}`);
  }
  if (!parsed.values.vpcd) throw new UsageError('sim serve: say where to serve the card: --vpcd [HOST:PORT]');
  rejectEmpty('sim serve', parsed.values);
  if (parsed.positionals.some((p) => p.trim() === '')) throw new UsageError('sim serve: --vpcd HOST:PORT is empty');
  if (parsed.positionals.length > 1) throw new UsageError(`sim serve: one endpoint at most, got ${parsed.positionals.join(' ')}`);
  let endpoint;
  try {
    endpoint = parseEndpoint(parsed.positionals[0]);
  } catch (e) {
    throw new UsageError(`sim serve --vpcd: ${(e as Error).message}`);
  }
  if (parsed.values.card && parsed.values.profile) throw new UsageError('sim serve: --profile or --card, not both');
  const removeAfterText = parsed.values['remove-after'];
  const removeAfter =
    removeAfterText === undefined ? undefined : intFlag('sim serve', 'remove-after', removeAfterText, 0, 1_000_000_000 - 1, 'APDUs');
  let control;
  try {
    control = parsed.values.control === undefined ? undefined : parseEndpoint(parsed.values.control, { portRequired: true });
  } catch (e) {
    throw new UsageError(`sim serve --control: ${(e as Error).message}`);
  }
  if (control && parsed.values.fresh)
    throw new UsageError('sim serve: --control or --fresh, not both (with --control the run asks for each new sample)');
  let template;
  let blank: () => SimulatedCard;
  let label: string;
  let delayMs = 0;
  if (parsed.values.card) {
    const set = loadTestCards(parsed.values.cards ? resolve(parsed.values.cards) : TEST_CARDS_FILE);
    const entry = testCard(set, parsed.values.card);
    template = await buildTestCard(set, entry);
    const { profile, profileFile } = testCardProfile(set, entry);
    blank = () => buildBlankCard(profile, loadKeyset(keysetPath(profile, profileFile)));
    label = `test card ${entry.id} (${entry.description})`;
    delayMs = entry.slowMs ?? 0;
  } else {
    const profileFile = parsed.values.profile ? resolve(parsed.values.profile) : DEFAULT_PROFILE;
    const profile = loadProfile(profileFile);
    const keyset = loadKeyset(keysetPath(profile, profileFile));
    template = await personalisedCard(profile, keyset);
    blank = () => buildBlankCard(profile, keyset);
    label = `profile ${profile.id}`;
  }
  let current = template.clone();
  let answered = 0;
  let pullOut: (() => void) | undefined;
  const card: VirtualCard = {
    reset: () => current.reset(),
    process: (apdu) => {
      if (removeAfter !== undefined && answered >= removeAfter) {
        pullOut?.();
        throw new Error(`the card was pulled out after ${answered} APDUs`);
      }
      answered++;
      return current.process(apdu);
    },
    ...(parsed.values.fresh
      ? {
          powerOn: () => {
            current = template.clone();
            return current.reset();
          },
        }
      : {}),
  };
  const log = parsed.values.quiet ? undefined : (line: string) => console.error(`ssc-lab sim: ${line}`);
  const fixture = control
    ? new ControlServer(
        {
          info: () => label,
          newSample: (state) => {
            current = state === 'blank' ? blank() : template.clone();
            log?.(`new ${state} sample in the reader`);
          },
          armTear: (k, ins) => current.armTear(k, ins),
        },
        control,
      )
    : undefined;
  try {
    await fixture?.listen();
  } catch (e) {
    throw new UsageError(`sim serve --control: cannot listen on ${control!.host}:${control!.port}: ${(e as Error).message}`);
  }
  const server = new VpcdCardServer(card, { ...endpoint, reconnectMs: 1000, delayMs, ...(log ? { log } : {}) });
  console.log(
    `serving ${label} (ATR ${toHex(card.reset(), ' ')})${parsed.values.fresh ? ', a fresh sample at each power-up,' : ''} to vpcd at ${endpoint.host}:${endpoint.port}${control ? `, fixture control at ${control.host}:${control.port}` : ''}`,
  );
  const stopServing = () =>
    Promise.all([server.stop(), fixture?.close()]).then(() => {
      console.log(`stopped: ${server.stats.apdus} APDUs, ${server.stats.connections} connection(s)`);
    });
  // a signal stops the server cleanly; the process then exits 130/143 (core/interrupt.ts)
  const unregister = onInterrupt(stopServing);
  await new Promise<void>((done) => {
    pullOut = () => {
      pullOut = undefined;
      console.log(`removal: the card leaves the reader with APDU ${answered + 1} unanswered`);
      unregister();
      void stopServing().then(done);
    };
    void server.start();
  });
  return EXIT.OK;
}
