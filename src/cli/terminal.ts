/**
 * `ssc-lab terminal`: the reference terminals as programs, against the
 * simulator or a card in a PC/SC reader — the terminals-under-test of the
 * lab's own CI, and a quick check of a card at the bench.
 *
 *   terminal social-security [--target sim|pcsc] [--reader NAME] [--psam-reader NAME] [--profile FILE] [--today YYYYMMDD]
 *       application initialisation through the PSAM (simulated in-process unless --psam-reader names
 *       the reader that holds it), basic information, validity check
 *   terminal purchase --amount N [--pin PIN] [--offline] [--target sim|pcsc] [--reader NAME] [--profile FILE]
 *       a complete PBOC purchase (amount in the minor unit), online to the lab's issuer host unless --offline
 *
 * Both take --terminal-defect ID (repeatable): the reference terminal with that deliberate defect
 * (model/defects/terminal.ts), so that a lab can run a defective terminal by hand or judge it with terminal-test.
 *
 * Exit codes: 0 accepted / approved, 1 refused / declined, 2 usage or configuration error.
 */
import { parseArgs } from 'node:util';
import { toHex } from '../core/bytes.ts';
import { CardSession } from '../channel/session.ts';
import { TARGETS, isTarget, openPsam, openTarget, targetConfigOf } from '../lab/target.ts';
import { ProfileView } from '../conformance/profile-view.ts';
import { PsamClient } from '../psam/client.ts';
import { IssuerHost } from '../pboc/issuer-host.ts';
import { caPublicKeys, loadPki } from '../pboc/pki.ts';
import { FinancialTerminal, describeTvr, referenceTerminalConfig } from '../terminal/financial.ts';
import { SocialSecurityTerminal, TerminalError, terminalConfig } from '../terminal/social-security.ts';
import { TERMINAL_DEFECT_IDS, type TerminalDefectId, isTerminalDefectId } from '../model/defects.ts';
import { EXIT, UsageError } from './errors.ts';
import { dateFlag, digitsFlag, rejectEmpty } from './flags.ts';

export const TERMINAL_USAGE = `Usage: ssc-lab terminal <social-security|purchase> [FLAGS]

  social-security [--target sim|pcsc] [--reader NAME] [--psam-reader NAME] [--profile FILE] [--today YYYYMMDD]
         initialise the card through the PSAM, read the basic information, check validity
  purchase --amount N [--pin PIN] [--offline] [--target sim|pcsc] [--reader NAME] [--profile FILE]
         a complete PBOC purchase of N (minor unit), online to the lab's issuer host unless --offline
  --terminal-defect ID   (both; repeatable) run the reference terminal with that deliberate defect

Exit codes: 0 accepted or approved, 1 refused or declined, 2 usage or configuration error.`;

function today(): string {
  return new Date().toISOString().slice(0, 10).replaceAll('-', '');
}

export async function terminalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help') {
    console.log(TERMINAL_USAGE);
    return sub === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (sub !== 'social-security' && sub !== 'purchase')
    throw new UsageError(`terminal: unknown terminal "${sub}" (social-security, purchase)`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      options: {
        target: { type: 'string', default: 'sim' },
        reader: { type: 'string' },
        'psam-reader': { type: 'string' },
        profile: { type: 'string' },
        today: { type: 'string' },
        amount: { type: 'string' },
        pin: { type: 'string' },
        offline: { type: 'boolean', default: false },
        'terminal-defect': { type: 'string', multiple: true },
      },
    });
  } catch (e) {
    throw new UsageError(`terminal ${sub}: ${(e as Error).message}`);
  }
  const v = parsed.values;
  rejectEmpty(`terminal ${sub}`, v);
  // every value is checked before the card is opened
  const date = sub === 'social-security' ? dateFlag('terminal social-security', 'today', v.today ?? today()) : today();
  if (sub === 'social-security') {
    for (const f of ['amount', 'pin', 'offline'] as const)
      if (v[f] !== undefined && v[f] !== false) throw new UsageError(`terminal social-security: --${f} goes with terminal purchase`);
  } else if (v.today !== undefined) throw new UsageError('terminal purchase: --today goes with terminal social-security');
  if (sub === 'purchase' && v.amount === undefined) throw new UsageError('terminal purchase: --amount N (digits, minor unit) is required');
  const amount = sub === 'purchase' ? digitsFlag('terminal purchase', 'amount', v.amount!, 1, 12, 'the amount in the minor unit') : '';
  if (v.pin !== undefined) digitsFlag(`terminal ${sub}`, 'pin', v.pin, 4, 12, 'a PIN');
  const defects: TerminalDefectId[] = [];
  for (const id of v['terminal-defect'] ?? []) {
    if (!isTerminalDefectId(id))
      throw new UsageError(`terminal: unknown terminal defect "${id}" (available: ${TERMINAL_DEFECT_IDS.join(', ')})`);
    defects.push(id);
  }
  if (!isTarget(v.target!)) throw new UsageError(`terminal: unknown target "${v.target}" (available: ${TARGETS.join(', ')})`);
  const config = targetConfigOf({ target: v.target, profileFile: v.profile, reader: v.reader, psamReader: v['psam-reader'] });
  const profile = config.profile;
  if (v['psam-reader'] !== undefined && v.target !== 'pcsc') throw new UsageError('terminal: --psam-reader goes with --target pcsc');
  if (v.reader !== undefined && v.target !== 'pcsc') throw new UsageError('terminal: --reader goes with --target pcsc');
  let opened;
  try {
    opened = await openTarget(config);
  } catch (e) {
    if ((e as Error).name === 'PcscUnavailable') throw new UsageError(`terminal: ${(e as Error).message}`);
    throw e;
  }
  const session = new CardSession(opened.channel);
  try {
    if (sub === 'social-security') {
      const tc = { ...terminalConfig(opened.keyset, profile), defects };
      const psam = await openPsam(config, opened.keyset);
      try {
        const terminal = new SocialSecurityTerminal(session, new PsamClient(psam, { alg: tc.alg }), tc);
        try {
          await terminal.initialise();
          const info = await terminal.readBasicInfo();
          console.log(`card ${info.cardNumber}, ${info.name}, social security number ${info.ssn}, city ${info.cityCode}`);
          console.log(`specification ${info.specVersion}, issued ${info.issueDate}, expires ${info.expiryDate}, ATR ${info.atr}`);
        } catch (e) {
          if (!(e instanceof TerminalError)) throw e;
          console.log(`refused: ${e.message}`);
          return EXIT.NONCONFORMING;
        }
        const validity = await terminal.validityCheck(date);
        console.log(validity.ok ? `valid on ${date}` : `refused on ${date}: ${validity.detail}`);
        return validity.ok ? EXIT.OK : EXIT.NONCONFORMING;
      } finally {
        // a PSAM in a PC/SC reader holds the binding open until it is released
        await psam.close();
      }
    }
    // the issuer host's fallback identity of the card (its PAN, PSN and suite come from the card when it has them)
    const pboc = new ProfileView(profile).findPbocAdf()?.pboc ?? { pan: '', psn: '00', suite: 'des-rsa' as const };
    const pin = v.pin ?? opened.keyset.pins('PSE').find((p) => p.id === 0x80)?.value;
    if (!pin) throw new UsageError('terminal purchase: --pin is required (the key set has no offline PIN)');
    const terminal = new FinancialTerminal(
      session,
      { ...referenceTerminalConfig(caPublicKeys(loadPki()), date.slice(2)), defects },
      v.offline ? undefined : { host: new IssuerHost(opened.keyset), scripts: [] },
      { pan: pboc.pan, psn: pboc.psn, suite: pboc.suite },
    );
    const r = await terminal.purchase(amount.padStart(12, '0'), { pin });
    console.log(
      `${r.outcome}${r.reason ? ` (${r.reason})` : ''}: application ${r.aid ? toHex(r.aid) : '-'} via ${r.selectedVia ?? '-'}, ODA ${r.oda}, first ${r.firstCryptogram ?? '-'}, final ${r.finalCryptogram ?? '-'}`,
    );
    console.log(
      `TVR ${toHex(r.tvr)}${describeTvr(r.tvr).length ? ` (${describeTvr(r.tvr).join('; ')})` : ''}, CVM results ${toHex(r.cvmResults)}`,
    );
    return r.outcome.startsWith('approved') ? EXIT.OK : EXIT.NONCONFORMING;
  } finally {
    await session.close();
  }
}
