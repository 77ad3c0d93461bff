/**
 * The readable description of a PBOC debit application as a profile writes it
 * (schema definitions/pboc); the data preparation in `pboc/` turns it into
 * what the card holds (docs/pboc-design.md).
 */
/** The `pboc` section of an ADF in a profile (schema: definitions/pboc). */
export interface PbocJson {
  suite: 'des-rsa' | 'sm';
  pan: string;
  psn: string;
  effective: string;
  expiry: string;
  aip: string;
  pdol: string;
  label?: string;
  logEntry?: { sfi: number; records: number };
  records: { sfi: number; record: number; tags: string[]; oda?: boolean }[];
  data: Record<string, string>;
  cardData: Record<string, string>;
  pki: { issuer: string; icc: string };
  /**
   * ODA elements personalised with their last byte changed: a test card with
   * a bad issuer public key certificate (90), ICC public key certificate
   * (9F46) or signed static application data (93), whose offline data
   * authentication a terminal must find failed (JR/T 0025.5 / EMV Book 2 §5.3, §6.3).
   */
  corrupt?: ('90' | '9F46' | '93')[];
}
