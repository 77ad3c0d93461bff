/**
 * Key types of the COS key file (byte 1 of WRITE KEY data): shared by the
 * simulator, the personalisation and the key sets.
 */
/** Key types of the simulated COS (WRITE KEY byte 1). */
export const KEY_TYPE = {
  /** Card master key (MF) or environment master key (SSSE, PSE): management authority. */
  MASTER: 0x00,
  /** External authentication of the terminal. */
  EXTERNAL_AUTH: 0x01,
  /** Internal authentication of the card (IRK). */
  INTERNAL_AUTH: 0x02,
  /** PIN unblock (PUK). */
  PIN_UNBLOCK: 0x03,
  /** PIN reload. */
  PIN_RELOAD: 0x04,
  /** Application maintenance (STK): MAC for block commands and protected updates. */
  MAINTENANCE: 0x05,
  /** Read key (RKSSSE). */
  READ: 0x06,
  /** Card block key (BK). */
  CARD_BLOCK: 0x07,
  /** Application cryptogram, MAC and encryption keys of the financial application (UDKs). */
  APPLICATION: 0x08,
  /** A PIN (reference data), value in BCD padded with F. */
  PIN: 0x0b,
} as const;
