/**
 * The typed World: one card session per scenario, opened from the run's
 * world parameters. No state lives outside it.
 */
import { World, type IWorldOptions, setWorldConstructor } from '@cucumber/cucumber';
import { CardSession } from '../src/harness/session.ts';
import { CardManager } from '../src/harness/management.ts';
import { SsseOperations } from '../src/harness/ssse.ts';
import { ProfileView } from '../src/profile/view.ts';
import { type CardState, type SimulatorControl, type TargetKind, capabilitiesOf, openTarget } from '../src/harness/target.ts';
import { loadProfile } from '../src/profile/profile.ts';

export interface LabParameters {
  target: TargetKind;
  profileFile: string;
  sampleId?: string;
  showSecrets?: boolean;
}

export class LabWorld extends World<LabParameters> {
  private cardSession?: CardSession;
  private cardManager?: CardManager;
  private profileView?: ProfileView;
  private simulator?: SimulatorControl;
  /** Capabilities of the target, set when the session opens. */
  capabilities: string[] = [];

  constructor(options: IWorldOptions<LabParameters>) {
    super(options);
  }

  /** Opens the target (closing any card already open) with the card in `state`. */
  async start(state: CardState): Promise<void> {
    if (this.cardSession) await this.cardSession.close();
    const { target, profileFile } = this.parameters;
    const profile = loadProfile(profileFile);
    const opened = await openTarget({ target, profile, profileFile }, state);
    this.capabilities = capabilitiesOf({ target, profile, profileFile }, opened.channel);
    this.profileView = new ProfileView(profile);
    this.cardSession = new CardSession(opened.channel);
    this.cardManager = new CardManager(this.cardSession, opened.keyset, this.profileView);
    this.simulator = opened.control;
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
