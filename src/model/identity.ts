/**
 * A sample's identity as the card tells it — what the pre-flight reads
 * (conformance/preflight.ts) and the run's metadata, matrix and dossier
 * record of the sample tested.
 */
export interface CardIdentity {
  /** The SSSE's EF05: card number (卡号), card identification code (卡识别码), specification version, card type. */
  ssse?: { cardNumber: string; cardIdCode: string; specVersion: string; cardType: string };
  /** The debit application's records: PAN, PAN sequence number, application version number (9F08), expiry. */
  pboc?: { pan: string; psn?: string; appVersion?: string; expiry?: string };
  /** Each key's version and check value read with GET KEY INFO, named `ENV/id` (MF for the card master key). */
  keys: { name: string; label: string; version: number; kcv: string }[];
  /** What could not be read, and why. */
  notRead: string[];
}

/** The identity in one line, for the report's environment and the console; undefined when nothing was read. */
export function identityText(id: CardIdentity): string | undefined {
  const parts: string[] = [];
  if (id.ssse)
    parts.push(`SSSE card number ${id.ssse.cardNumber}, card id code ${id.ssse.cardIdCode}, specification ${id.ssse.specVersion}`);
  if (id.pboc)
    parts.push(
      `debit PAN ${id.pboc.pan}${id.pboc.psn ? `-${id.pboc.psn}` : ''}${id.pboc.appVersion ? `, application version ${id.pboc.appVersion}` : ''}`,
    );
  if (id.keys.length) parts.push(`key versions ${id.keys.map((k) => `${k.name} v${k.version}`).join(' ')}`);
  return parts.length ? parts.join('; ') : undefined;
}
