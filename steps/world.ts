/**
 * The typed World: one card session per scenario, opened from the run's
 * world parameters. No state lives outside it.
 */
import { World, type IWorldOptions, setWorldConstructor } from '@cucumber/cucumber';
import { CardSession } from '../src/channel/session.ts';
import { CardManager } from '../src/conformance/management.ts';
import { SsseOperations } from '../src/conformance/ssse.ts';
import { ProfileView } from '../src/conformance/profile-view.ts';
import {
  type CardState,
  type TargetConfig,
  type TargetKind,
  capabilitiesOf,
  openPsam,
  openTarget,
  targetConfigOf,
} from '../src/lab/target.ts';
import type { SimulatorControl } from '../src/channel/fixture.ts';
import type { Keyset } from '../src/model/keyset.ts';
import { type Bytes, fromHex } from '../src/core/bytes.ts';
import { PbocOperations } from '../src/conformance/pboc.ts';
import {
  FinancialTerminal,
  type FinancialTerminalConfig,
  type OnlineLink,
  type TransactionResult,
  referenceTerminalConfig,
} from '../src/terminal/financial.ts';
import { IssuerHost } from '../src/pboc/issuer-host.ts';
import { caPublicKeys, loadPki } from '../src/pboc/pki.ts';
import type { PbocJson } from '../src/model/pboc-data.ts';
import type { BasicData } from '../src/model/basic-data.ts';
import { PsamClient } from '../src/psam/client.ts';
import { type KeyRole, SocialSecurityTerminal, terminalConfig } from '../src/terminal/social-security.ts';
import { type TerminalDefectId, isTerminalDefectId } from '../src/model/defects.ts';

export interface LabParameters {
  target: TargetKind;
  profileFile: string;
  sampleId?: string;
  showSecrets?: boolean;
  /** PSAM profile of the terminal; by default the lab PSAM of the card key set's algorithm. */
  psamProfileFile?: string;
  /** PC/SC target: the reader. */
  reader?: string;
  /** PC/SC target: fixture control of a served simulated card. */
  simControl?: { host: string; port: number };
  /** Deliberate defects of both reference terminals (model/defects/terminal.ts; `ssc-lab mutation`). */
  terminalDefects?: string[];
  /** Card defects added to the profile's `simulator.defects` (`ssc-lab mutation`): the card is the defective one. */
  cardDefects?: string[];
  /** Requirements the sample's ICS makes not applicable, with the reason (`ssc-lab run --ics`, model/ics.ts). */
  icsExclusions?: Record<string, string>;
}

export class LabWorld extends World<LabParameters> {
  private cardSession?: CardSession;
  private cardManager?: CardManager;
  private profileView?: ProfileView;
  private simulator?: SimulatorControl;
  private targetConfig?: TargetConfig;
  private cardKeyset?: Keyset;
  private psamSession?: CardSession;
  private ssTerminal?: SocialSecurityTerminal;
  /** Capabilities of the target, set when the session opens. */
  capabilities: string[] = [];
  /** Index of the card's first exchange after the terminal started. */
  terminalMark = 0;
  /** Records read by the last "read every record" step. */
  records: Bytes[] = [];
  /** Basic data read by the last step that read them. */
  basicData?: BasicData;
  private pbocOps?: PbocOperations;
  /** The financial terminal of the scenario, once a step set it up. */
  financial?: FinancialTerminal;
  /** The last transaction the financial terminal performed. */
  transaction?: TransactionResult;

  constructor(options: IWorldOptions<LabParameters>) {
    super(options);
  }

  /** Opens the target (closing any card already open) with the card in `state`; the caller cold-resets it next. */
  async start(state: CardState): Promise<void> {
    if (this.cardSession) await this.cardSession.close();
    await this.stopTerminal();
    this.pbocOps = undefined;
    this.financial = undefined;
    this.transaction = undefined;
    this.targetConfig = targetConfigOf(this.parameters);
    const { profile } = this.targetConfig;
    // every caller cold-resets the card at once (the set-up, a blank card's steps): the opening does not as well
    const opened = await openTarget(this.targetConfig, state, { powerUp: false });
    this.cardKeyset = opened.keyset;
    this.capabilities = capabilitiesOf(this.targetConfig, opened.channel);
    this.profileView = new ProfileView(profile);
    this.cardSession = new CardSession(opened.channel);
    this.cardManager = new CardManager(this.cardSession, opened.keyset, this.profileView);
    this.simulator = opened.control;
  }

  /**
   * Puts the reference social-security terminal in front of the card: its
   * PSAM (a second card) opened and reset; the terminal's configuration from
   * the card's key set and profile — key references, never key values.
   */
  async startTerminal(options: { without?: KeyRole[] } = {}): Promise<SocialSecurityTerminal> {
    if (!this.targetConfig || !this.cardKeyset) throw new Error('no card session: the Before hook did not open one');
    await this.stopTerminal();
    const psam = new CardSession(await openPsam(this.targetConfig, this.cardKeyset, this.parameters.psamProfileFile));
    await psam.reset(true);
    this.psamSession = psam;
    const config = terminalConfig(this.cardKeyset, this.targetConfig.profile);
    for (const role of options.without ?? []) delete config.keys[role];
    config.defects = this.terminalDefects;
    this.terminalMark = this.session.recorder.mark();
    this.ssTerminal = new SocialSecurityTerminal(this.session, new PsamClient(psam.recorder, { alg: config.alg }), config);
    return this.ssTerminal;
  }

  async stopTerminal(): Promise<void> {
    if (this.psamSession) await this.psamSession.close();
    this.psamSession = undefined;
    this.ssTerminal = undefined;
  }

  /** The reference terminals' deliberate defects, from the world parameter `terminalDefects`; an unknown id is an error. */
  private get terminalDefects(): TerminalDefectId[] {
    const ids = this.parameters.terminalDefects ?? [];
    const unknown = ids.filter((id) => !isTerminalDefectId(id));
    if (unknown.length > 0) throw new Error(`unknown terminal defect(s): ${unknown.join(', ')}`);
    return ids as TerminalDefectId[];
  }

  /** The terminal started by {@link startTerminal}. */
  get terminal(): SocialSecurityTerminal {
    if (!this.ssTerminal) throw new Error('no terminal: the scenario did not start one ("Given a social-security terminal with its PSAM")');
    return this.ssTerminal;
  }

  /** The PSAM's session, when a terminal runs: for its part of the trace. */
  get psam(): CardSession | undefined {
    return this.psamSession;
  }

  /** Operations of the PBOC debit application on this card (one per scenario). */
  get pboc(): PbocOperations {
    if (!this.pbocOps) {
      const adf = this.profile.pbocAdf();
      this.pbocOps = new PbocOperations(this.session, this.keyset, adf.pboc, fromHex(adf.fci));
    }
    return this.pbocOps;
  }

  /**
   * Puts the reference financial terminal in front of the card: configured
   * as `configure` says from the reference configuration (CA keys of the
   * lab PKI, the date one year after the card's effective date), online
   * through the lab's issuer host unless `online` is null.
   */
  startFinancialTerminal(
    configure: (c: FinancialTerminalConfig, card: PbocJson) => void = () => {},
    online: OnlineLink | null = { host: new IssuerHost(this.keyset), scripts: [] },
  ): FinancialTerminal {
    const { pboc } = this.profile.pbocAdf();
    const config = referenceTerminalConfig(
      caPublicKeys(loadPki()),
      `${String(Number(pboc.effective.slice(0, 2)) + 1).padStart(2, '0')}${pboc.effective.slice(2)}`,
    );
    config.defects = this.terminalDefects;
    configure(config, pboc);
    this.financial = new FinancialTerminal(this.session, config, online ?? undefined, { pan: pboc.pan, psn: pboc.psn, suite: pboc.suite });
    return this.financial;
  }

  get keyset(): Keyset {
    if (!this.cardKeyset) throw new Error('no card session: the Before hook did not open one');
    return this.cardKeyset;
  }

  get session(): CardSession {
    if (!this.cardSession) throw new Error('no card session: the Before hook did not open one');
    return this.cardSession;
  }

  get hasSession(): boolean {
    return this.cardSession !== undefined;
  }

  get manager(): CardManager {
    if (!this.cardManager) throw new Error('no card session: the Before hook did not open one');
    return this.cardManager;
  }

  /** Operations of the social-security application on this card. */
  get ssse(): SsseOperations {
    return new SsseOperations(this.manager);
  }

  get profile(): ProfileView {
    if (!this.profileView) throw new Error('no profile loaded');
    return this.profileView;
  }

  /** Simulator-only control (power cuts); scenarios that use it carry @needs:simulator. */
  get control(): SimulatorControl {
    if (!this.simulator) throw new Error('this target is not the simulator: the scenario needs @needs:simulator');
    return this.simulator;
  }
}

setWorldConstructor(LabWorld);
