/**
 * The social-security basic data (EF05, EF06 of the SSSE) in text form, as
 * profiles write them and terminals read them; `ssse/records.ts` encodes and
 * decodes them with the layout of each specification version.
 */
/** Specification version stored in EF05 tag 03 (observed values "1.00", "2.00", "3.00"). */
export type SpecVersion = '1.00' | '2.00' | '3.00';

export const SPEC_VERSIONS: readonly SpecVersion[] = ['1.00', '2.00', '3.00'];

/** The SSSE basic data in text form, as stored in EF05 and EF06. */
export interface BasicData {
  /** EF05 tag 01: card identification code, 16 bytes as 32 hex digits; the first 3 bytes are the city code in BCD (e.g. 310100). */
  cardIdCode: string;
  /** EF05 tag 02: card type, 1 character. */
  cardType: string;
  /** EF05 tag 03: specification version. */
  specVersion: SpecVersion;
  /** EF05 tag 04: initialising-organisation number, 12 bytes as 24 hex digits. */
  initOrg: string;
  /** EF05 tag 05: issue date YYYYMMDD. */
  issueDate: string;
  /** EF05 tag 06: expiry date YYYYMMDD. */
  expiryDate: string;
  /** EF05 tag 07: card number, 9 characters (8 + check character). */
  cardNumber: string;
  /** EF06 tag 08: social security number (citizen identity number), 18 characters. */
  ssn: string;
  /** EF06 tag 09: name, at most 30 bytes of GBK (15 Chinese characters). */
  name: string;
  /** EF06 tag 4E: name extension, at most 20 bytes of GBK; specification 2.00 and 3.00 only. */
  nameExtension?: string;
  /** EF06 tag 0A: sex, '1' male, '2' female. */
  sex: '1' | '2';
  /** EF06 tag 0B: ethnicity code, 2 digits (e.g. 01). */
  ethnicity: string;
  /** EF06 tag 0C: birthplace, up to 6 digits (an administrative-division code). */
  birthplace: string;
  /** EF06 tag 0D: birth date YYYYMMDD. */
  birthDate: string;
}
