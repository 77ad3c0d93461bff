/**
 * The one place where the decorators of a card transport are stacked. Every
 * user of a card — the card session of a scenario, the personaliser, the
 * PSAM client, the `perso run` command — asks for its stack here:
 *
 *     handled ── GET RESPONSE / 6Cxx handling ─┐
 *     raw ─────────────────────────────────────┴→ recorder (when recording) → transport
 *
 * The recorder sits directly on the transport so that it sees every exchange
 * as the card saw it, GET RESPONSE and re-issued commands included; `raw`
 * leaves the transport handling out, for scenarios that test that handling
 * itself (ISO/IEC 7816-4:2005 §5.1.3, ISO/IEC 7816-3 T=0 procedure bytes
 * 61xx and 6Cxx). There is no secure-messaging layer on the terminal side:
 * a secured command (command MAC) is built whole by cos/formats.ts.
 */
import type { CardChannel } from './channel.ts';
import { GetResponseChannel, type GetResponseOptions } from './get-response.ts';
import { RecordingChannel } from './recorder.ts';

export interface ComposeOptions {
  /** Record every exchange (a {@link RecordingChannel} on the transport). */
  record?: boolean;
  /** Options of the GET RESPONSE / 6Cxx handling. */
  getResponse?: GetResponseOptions;
}

export interface ComposedChannel {
  /** Commands with the transport's 61xx / 6Cxx handling: what an application layer uses. */
  handled: CardChannel;
  /** Commands sent as they are, without that handling; recorded when recording. */
  raw: CardChannel;
  /** The recorder, when recording. */
  recorder?: RecordingChannel;
}

/** The decorator stack over `transport`. */
export function composeChannel(
  transport: CardChannel,
  options: ComposeOptions & { record: true },
): ComposedChannel & { recorder: RecordingChannel };
export function composeChannel(transport: CardChannel, options?: ComposeOptions): ComposedChannel;
export function composeChannel(transport: CardChannel, options: ComposeOptions = {}): ComposedChannel {
  const recorder = options.record ? new RecordingChannel(transport) : undefined;
  const raw = recorder ?? transport;
  return { handled: new GetResponseChannel(raw, options.getResponse), raw, ...(recorder ? { recorder } : {}) };
}
