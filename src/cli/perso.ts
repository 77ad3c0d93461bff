/**
 * `ssc-lab perso`: the personalisation script of a profile, and its run.
 *   perso script [--profile FILE] [--json]      the script (key references only, no key material)
 *   perso run [--profile FILE] [--target sim] [--trace] [--show-secrets]
 *                                               personalise a blank card of the target with it
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { composeChannel } from '../channel/compose.ts';
import { TARGETS, isTarget, keysetOf, openTarget, targetConfigOf } from '../lab/target.ts';
import { describeScript, personalise, PersoError } from '../perso/personaliser.ts';
import { generateScript } from '../perso/script.ts';
import { formatTrace } from '../report/trace.ts';
import { EXIT, UsageError } from './errors.ts';
import { rejectEmpty } from './flags.ts';

export const PERSO_USAGE = `Usage: ssc-lab perso <subcommand>

  script [--profile FILE] [--json]
         the personalisation script generated from the profile: the card's own commands,
         with keys named by reference (environment, id), never by value
  run    [--profile FILE] [--target sim] [--trace] [--show-secrets]
         personalise a blank card of the target with that script and the profile's key set`;

export async function persoCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help') {
    console.log(PERSO_USAGE);
    return sub === undefined ? EXIT.USAGE : EXIT.OK;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      options: {
        profile: { type: 'string' },
        json: { type: 'boolean', default: false },
        target: { type: 'string', default: 'sim' },
        trace: { type: 'boolean', default: false },
        'show-secrets': { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`perso ${sub}: ${(e as Error).message}`);
  }
  const v = parsed.values;
  rejectEmpty(`perso ${sub}`, v);
  const config = targetConfigOf({ target: 'sim', profileFile: v.profile });
  const { profile, profileFile } = config;
  const keyset = keysetOf(config);
  const script = generateScript(profile, keyset, profileFile);
  switch (sub) {
    case 'script':
      if (v.json) console.log(JSON.stringify(script, null, 2));
      else console.log(`# profile ${script.profile}, key set ${script.keyset}: ${script.steps.length} steps\n${describeScript(script)}`);
      return EXIT.OK;
    case 'run': {
      if (!isTarget(v.target!)) throw new UsageError(`perso run: unknown target "${v.target}" (available: ${TARGETS.join(', ')})`);
      const { channel } = await openTarget(targetConfigOf({ target: v.target, profileFile }), 'blank');
      const { raw, recorder } = composeChannel(channel, { record: true });
      const t0 = performance.now();
      try {
        const r = await personalise(raw, script, keyset);
        const ms = performance.now() - t0;
        if (v.trace) console.log(formatTrace(recorder.exchanges, { showSecrets: v['show-secrets'] }));
        console.log(`personalised ${channel.description}: ${r.steps} steps, ${r.apdus} APDUs, ${ms.toFixed(1)} ms`);
        return EXIT.OK;
      } catch (e) {
        if (!(e instanceof PersoError)) throw e;
        if (v.trace) console.log(formatTrace(recorder.exchanges, { showSecrets: v['show-secrets'] }));
        console.error(`ssc-lab: ${e.message}`);
        return EXIT.NONCONFORMING;
      } finally {
        await channel.close();
      }
    }
    default:
      throw new UsageError(`unknown perso subcommand "${sub}" (script, run)`);
  }
}
