/**
 * The typed World: one card session per scenario, opened by the Before hook
 * from the run's world parameters. No state lives outside it.
 */
import { World, type IWorldOptions, setWorldConstructor } from '@cucumber/cucumber';
import type { CardSession } from '../src/harness/session.ts';
import type { ProfileView } from '../src/profile/view.ts';
import type { TargetKind } from '../src/harness/target.ts';

export interface LabParameters {
  target: TargetKind;
  profileFile: string;
  sampleId?: string;
  showSecrets?: boolean;
}

export class LabWorld extends World<LabParameters> {
  private cardSession?: CardSession;
  private profileView?: ProfileView;
  /** Capabilities of the target, set when the session opens. */
  capabilities: string[] = [];

  constructor(options: IWorldOptions<LabParameters>) {
    super(options);
  }

  get session(): CardSession {
    if (!this.cardSession) throw new Error('no card session: the Before hook did not open one');
    return this.cardSession;
  }

  get hasSession(): boolean {
    return this.cardSession !== undefined;
  }

  get profile(): ProfileView {
    if (!this.profileView) throw new Error('no profile loaded');
    return this.profileView;
  }

  open(session: CardSession, profile: ProfileView, capabilities: string[]): void {
    this.cardSession = session;
    this.profileView = profile;
    this.capabilities = capabilities;
  }
}

setWorldConstructor(LabWorld);
