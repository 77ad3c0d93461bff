/**
 * Tag names and the readable rendering of BER-TLV data objects, for traces and
 * diagnostics: {@link TAG_NAMES} and {@link dumpTlv}. The encoding itself
 * (parsing, encoding, search, tag numbers) is in tlv.ts.
 */

import { type Bytes, printable, toHex } from './bytes.ts';
import { type Tlv, tagHex } from './tlv.ts';

/**
 * Names of common tags keyed by {@link tagHex} (ISO/IEC 7816-4:2005 §5.3 and
 * §7.4 tables, EMV 4.3 Book 3 Annex A, JR/T 0025 (PBOC 3.0)). Where a tag has
 * different meanings in FCP and FCI/EMV contexts, the FCI/EMV meaning is used.
 */
export const TAG_NAMES: Record<string, string> = {
  // File control information (ISO/IEC 7816-4 §5.3.3, EMV Book 1 §11.3.4)
  '6F': 'FCI template',
  '62': 'FCP template',
  '84': 'DF name',
  A5: 'FCI proprietary template',
  '88': 'SFI of directory EF',
  '5F2D': 'language preference',
  '9F11': 'issuer code table index',
  '9F12': 'application preferred name',
  BF0C: 'FCI issuer discretionary data',
  '8A': 'life cycle status',
  // Directory (EMV Book 1 §12.2.3)
  '61': 'application template',
  '4F': 'AID',
  '50': 'application label',
  '87': 'application priority indicator',
  '73': 'directory discretionary template',
  '9D': 'DDF name',
  // Records and responses (EMV Book 3 §6.5)
  '70': 'record template',
  '77': 'response message template format 2',
  '80': 'response message template format 1',
  '82': 'AIP',
  '83': 'command template / file identifier (FCP)',
  '94': 'AFL',
  '9F38': 'PDOL',
  '8C': 'CDOL1',
  '8D': 'CDOL2',
  '9F49': 'DDOL',
  // Application data
  '5A': 'PAN',
  '57': 'track 2 equivalent data',
  '5F20': 'cardholder name',
  '5F30': 'service code',
  '5F34': 'PAN sequence number',
  '5F24': 'expiry date',
  '5F25': 'effective date',
  '8E': 'CVM list',
  '9F07': 'application usage control',
  '9F0D': 'IAC default',
  '9F0E': 'IAC denial',
  '9F0F': 'IAC online',
  '5F28': 'issuer country code',
  '9F42': 'application currency code',
  '9F44': 'application currency exponent',
  '9F08': 'application version number',
  '9F1F': 'track 1 discretionary data',
  // Counters and cryptograms
  '9F36': 'ATC',
  '9F13': 'last online ATC',
  '9F17': 'PIN try counter',
  '9F26': 'application cryptogram',
  '9F27': 'CID',
  '9F10': 'issuer application data',
  // Offline data authentication (EMV Book 2)
  '9F4B': 'SDAD',
  '9F46': 'ICC public key cert',
  '9F47': 'ICC PK exponent',
  '9F48': 'ICC PK remainder',
  '90': 'issuer PK certificate',
  '92': 'issuer PK remainder',
  '9F32': 'issuer PK exponent',
  '8F': 'CA PK index',
  '9F4A': 'SDA tag list',
  '9F69': 'card authentication related data',
  // PBOC specifics
  DF69: 'SM algorithm support indicator',
  '9F79': 'e-cash balance',
  '9F4F': 'log format',
  '9F4D': 'log entry',
  // Terminal data commonly requested in DOLs (EMV Book 3 Annex A)
  '9F02': 'amount authorised',
  '9F03': 'amount other',
  '9F1A': 'terminal country code',
  '95': 'TVR',
  '5F2A': 'transaction currency code',
  '9A': 'transaction date',
  '9C': 'transaction type',
  '9F21': 'transaction time',
  '9F37': 'unpredictable number',
  '9F66': 'TTQ',
  // Terminal data, CVM, risk management and issuer scripts (EMV Book 3 Annex A, Book 4 Annex A; JR/T 0025)
  '9B': 'TSI',
  '9F33': 'terminal capabilities',
  '9F40': 'additional terminal capabilities',
  '9F35': 'terminal type',
  '9F34': 'CVM results',
  '9F09': 'application version number (terminal)',
  '9F14': 'lower consecutive offline limit',
  '9F23': 'upper consecutive offline limit',
  '9F1B': 'terminal floor limit',
  '5F36': 'transaction currency exponent',
  '9F4E': 'merchant name and location',
  '9F15': 'merchant category code',
  '9F16': 'merchant identifier',
  '9F1C': 'terminal identification',
  '9F1E': 'IFD serial number',
  '9F01': 'acquirer identifier',
  '9F39': 'POS entry mode',
  '9F41': 'transaction sequence counter',
  '9F06': 'AID (terminal)',
  '81': 'amount authorised (binary)',
  '9F04': 'amount other (binary)',
  '93': 'signed static application data',
  '9F4C': 'ICC dynamic number',
  '9F45': 'data authentication code',
  '91': 'issuer authentication data',
  '71': 'issuer script template 1',
  '72': 'issuer script template 2',
  '86': 'issuer script command',
  '9F18': 'issuer script identifier',
  '9F7A': 'e-cash terminal support indicator',
  '5F57': 'account type',
};

export interface DumpTlvOptions {
  /** Tag names keyed by {@link tagHex}; replaces {@link TAG_NAMES} (pass `{}` for none). */
  names?: Record<string, string>;
}

/**
 * Readable multi-line rendering, two spaces of indent per nesting level.
 * Each line is `TAG (name) [LL]` followed, for a primitive object (or a
 * constructed one without parsed children), by the value in hex and, when every
 * byte is printable ASCII, the text in double quotes. `LL` is the value length
 * in hex (two digits, four above 255). Lines are joined with '\n', with no
 * trailing newline. Example:
 *
 * ```
 * 6F (FCI template) [1A]
 *   84 (DF name) [0E] 315041592E5359532E4444463031 "1PAY.SYS.DDF01"
 *   A5 (FCI proprietary template) [08]
 *     88 (SFI of directory EF) [01] 01
 *     5F2D (language preference) [02] 7A68 "zh"
 * ```
 */
export function dumpTlv(list: readonly Tlv[], opts: DumpTlvOptions = {}): string {
  const names = opts.names ?? TAG_NAMES;
  const lines: string[] = [];
  const walk = (l: readonly Tlv[], depth: number): void => {
    for (const t of l) {
      const th = tagHex(t.tag);
      const name = names[th];
      let line = '  '.repeat(depth) + th;
      if (name !== undefined) line += ` (${name})`;
      line += ` [${lengthHex(t.value.length)}]`;
      if (t.children) {
        lines.push(line);
        walk(t.children, depth + 1);
        continue;
      }
      if (t.value.length > 0) {
        line += ` ${toHex(t.value)}`;
        if (isPrintable(t.value)) line += ` "${printable(t.value)}"`;
      }
      lines.push(line);
    }
  };
  walk(list, 0);
  return lines.join('\n');
}

function lengthHex(n: number): string {
  const h = n.toString(16).toUpperCase();
  return h.padStart(h.length <= 2 ? 2 : h.length % 2 === 0 ? h.length : h.length + 1, '0');
}

function isPrintable(bytes: Bytes): boolean {
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return false;
  return true;
}
