/**
 * Command names by CLA class and INS, for traces: the interindustry commands of
 * ISO/IEC 7816-4:2005 §7 and the proprietary ones of the social-security (LD/T 32)
 * and PBOC (JR/T 0025) applications.
 */
const INTERINDUSTRY: Record<number, string> = {
  0x0e: 'ERASE BINARY',
  0x20: 'VERIFY',
  0x24: 'CHANGE REFERENCE DATA',
  0x2c: 'RESET RETRY COUNTER',
  0x44: 'ACTIVATE FILE',
  0x70: 'MANAGE CHANNEL',
  0x82: 'EXTERNAL AUTHENTICATE',
  0x84: 'GET CHALLENGE',
  0x88: 'INTERNAL AUTHENTICATE',
  0xa4: 'SELECT',
  0xb0: 'READ BINARY',
  0xb2: 'READ RECORD',
  0xc0: 'GET RESPONSE',
  0xca: 'GET DATA',
  0xd6: 'UPDATE BINARY',
  0xda: 'PUT DATA',
  0xdc: 'UPDATE RECORD',
  0xe0: 'CREATE FILE',
  0xe2: 'APPEND RECORD',
  0xe4: 'DELETE FILE',
};

const PROPRIETARY: Record<number, string> = {
  0x16: 'CARD BLOCK',
  0x18: 'APPLICATION UNBLOCK',
  0x1a: 'DES CALCULATION INITIALISE',
  0x1e: 'APPLICATION BLOCK',
  0x24: 'PIN CHANGE/UNBLOCK',
  0x5e: 'CHANGE PIN',
  0x82: 'EXTERNAL AUTHENTICATE',
  0x84: 'GET CHALLENGE',
  0xa8: 'GET PROCESSING OPTIONS',
  0xae: 'GENERATE AC',
  0xca: 'GET DATA',
  0xd4: 'WRITE KEY',
  0xda: 'PUT DATA',
  0xe0: 'CREATE FILE',
  0xfa: 'DES CALCULATION',
};

/** Name of a command for the trace, e.g. "SELECT", or "INS 6A" when unknown. */
export function commandName(cla: number, ins: number): string {
  const proprietary = (cla & 0x80) !== 0 && cla !== 0xff;
  const name = proprietary ? (PROPRIETARY[ins] ?? INTERINDUSTRY[ins]) : INTERINDUSTRY[ins];
  return name ?? `INS ${ins.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * Commands whose data field carries PINs or key material; the report masks it
 * unless secrets are explicitly shown.
 */
export function carriesSecret(cla: number, ins: number, p1?: number): boolean {
  if (ins === 0x20 || ins === 0x24 || ins === 0x2c) return true; // VERIFY, CHANGE/UNBLOCK PIN, RESET RETRY COUNTER
  if ((cla & 0x80) !== 0 && (ins === 0x5e || ins === 0xd4)) return true; // SSSE CHANGE PIN, WRITE KEY
  // PSAM DES CALCULATION, encryption (P1 00): the terminal sends the plain PIN block of PIN RELOAD / UNBLOCK
  if (cla === 0x80 && ins === 0xfa && (p1 === undefined || p1 === 0x00)) return true;
  return false;
}
