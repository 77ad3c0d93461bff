/**
 * Scenario life cycle: open the target named by the run, reset the card, mark
 * scenarios whose `@needs:` the target lacks as not applicable, attach each
 * step's APDU exchanges to the report, release the card afterwards.
 */
import { After, Before, setDefaultTimeout, setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import 'allure-cucumberjs';
import { NEEDS_TAG, REQ_TAG } from '../src/model/catalog.ts';
import { asCardNonConformity } from '../src/conformance/pboc-checks.ts';
import { TRACE_NAME, formatTrace } from '../src/report/trace.ts';
import { ICS_LOG, NOT_RUN_LOG } from '../src/report/verdicts.ts';
import { cardLeftTheReader, cardSeenInThisRun } from '../src/lab/target.ts';
import { TransportError } from '../src/channel/channel.ts';
import { letSignalsIn } from '../src/core/interrupt.ts';
import type { LabWorld } from './world.ts';

// A real card computes RSA signatures and a slow test card answers in 200 ms: 5 s per step is too short for a lab.
setDefaultTimeout(30_000);

// Opening waits up to 5 s for a card in the reader (src/lab/target.ts); the hook gives it that time and more.
Before({ name: 'open the card', timeout: 20_000 }, async function (this: LabWorld, { pickle }) {
  // an interruption during the last scenario is handled now, not after the whole run
  await letSignalsIn();
  try {
    await this.start('personalised');
    await this.session.reset(true);
  } catch (e) {
    // the card was there earlier in the run and has gone: this scenario is not run, it did not fail
    if (!(cardLeftTheReader() || (e instanceof TransportError && cardSeenInThisRun()))) throw e;
    this.log(`${NOT_RUN_LOG}the card left the reader earlier in the run (${(e as Error).message.split('\n')[0]})`);
    return 'skipped';
  }
  // what the sample's ICS does not claim: its requirements are not applicable, the ICS item says why
  const primary = pickle.tags.map((t) => REQ_TAG.exec(t.name)?.[1]).find((id) => id !== undefined);
  const excluded = primary ? this.parameters.icsExclusions?.[primary] : undefined;
  if (excluded) {
    this.log(`${ICS_LOG}${excluded}`);
    return 'skipped';
  }
  const missing = pickle.tags
    .map((t) => NEEDS_TAG.exec(t.name)?.[1])
    .filter((c): c is string => c !== undefined && !this.capabilities.includes(c));
  if (missing.length > 0) {
    this.log(`not applicable: the target lacks ${missing.join(', ')}`);
    return 'skipped';
  }
  return undefined;
});

After({ name: 'release the card' }, async function (this: LabWorld) {
  await this.stopTerminal();
  if (this.hasSession) await this.session.close();
});

/**
 * Every step and hook runs inside this wrapper: the exchanges it caused are
 * attached to it as a decoded APDU trace, and an error only the card's data
 * can cause (malformed TLV, AFL, DOL, ATR; a signature that does not recover)
 * is reported as the card's non-conformity, not as a tool error.
 */
setDefinitionFunctionWrapper((fn: (...args: unknown[]) => unknown) => {
  const wrapped = async function (this: LabWorld, ...args: unknown[]) {
    const mark = this.hasSession ? this.session.recorder.mark() : undefined;
    const psamBefore = this.psam;
    const psamMark = psamBefore?.recorder.mark();
    const options = { showSecrets: this.parameters.showSecrets === true };
    try {
      return await fn.apply(this, args);
    } catch (e) {
      throw asCardNonConformity(e);
    } finally {
      if (this.hasSession) {
        const exchanges = this.session.recorder.since(mark ?? 0);
        if (exchanges.length > 0) await this.attach(formatTrace(exchanges, options), { mediaType: 'text/plain', fileName: TRACE_NAME });
      }
      // The terminal's PSAM is a card of its own: its exchanges get their own titled trace.
      const psam = this.psam;
      if (psam) {
        const exchanges = psam.recorder.since(psam === psamBefore ? (psamMark ?? 0) : 0);
        if (exchanges.length > 0) {
          await this.attach(`PSAM (${psam.description})\n${formatTrace(exchanges, options)}`, {
            mediaType: 'text/plain',
            fileName: TRACE_NAME,
          });
        }
      }
    }
  };
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  return wrapped;
});
