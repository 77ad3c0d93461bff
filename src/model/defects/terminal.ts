/**
 * Defects of the reference terminals: options of their configuration
 * (`defects` of FinancialTerminalConfig and of the social-security
 * terminal's TerminalConfig; see model/defects.ts), each a fault terminal
 * vendors ship, read at the decision point it spoils.
 */
import type { DefectInfo } from './info.ts';

export const TERMINAL_DEFECTS = [
  // the financial terminal (EMV 4.3 Book 3 chapter 10; JR/T 0025 the same)
  {
    id: 'fin-blocked-application-selected',
    class: 'terminal',
    rule: 'an application whose SELECT answers 6283 (selected file invalidated) is not used, no GPO (EMV 4.3 Book 1 §12.4)',
    requirements: ['TERM-IF-03'],
  },
  {
    id: 'fin-read-record-error-ignored',
    class: 'terminal',
    rule: 'a record the AFL names that the card does not return terminates the transaction (EMV 4.3 Book 3 §10.2)',
    requirements: ['TERM-FIN-09'],
  },
  {
    id: 'fin-oda-skipped',
    class: 'terminal',
    rule: "ODA is performed when the AIP and the terminal support it, else 'ODA was not performed' is set (EMV 4.3 Book 3 §10.3)",
    requirements: ['TERM-FIN-02'],
  },
  {
    id: 'fin-oda-failure-ignored',
    class: 'terminal',
    rule: "a failed SDA, DDA or CDA sets its TVR bit 'SDA/DDA/CDA failed' (EMV 4.3 Book 3 §10.3)",
    requirements: ['TERM-FIN-02'],
  },
  {
    id: 'fin-sda-selected-not-set',
    class: 'terminal',
    rule: "when the terminal selects SDA it sets 'SDA selected' in the TVR, byte 1 b2 (EMV 4.3 Book 3 §10.3, Annex C5)",
    requirements: ['TERM-FIN-02'],
  },
  {
    id: 'fin-expiry-not-checked',
    class: 'terminal',
    rule: "a transaction date after the Application Expiration Date 5F24 sets 'Expired application' (EMV 4.3 Book 3 §10.4.3)",
    requirements: ['TERM-FIN-03'],
  },
  {
    id: 'fin-version-not-checked',
    class: 'terminal',
    rule: "a card application version 9F08 other than the terminal's sets 'different application versions' (EMV 4.3 Book 3 §10.4.1)",
    requirements: ['TERM-FIN-03'],
  },
  {
    id: 'fin-bypass-not-recorded',
    class: 'terminal',
    rule: "a bypassed PIN entry sets 'PIN entry required … but PIN was not entered' (EMV 4.3 Book 3 §10.5, Book 4 §6.3.4.3)",
    requirements: ['TERM-FIN-04'],
  },
  {
    id: 'fin-pin-try-counter-ignored',
    class: 'terminal',
    rule: 'with a PIN Try Counter 9F17 of zero the terminal sends no VERIFY (EMV 4.3 Book 3 §10.5.1, Book 4 §6.3.4.1)',
    requirements: ['TERM-IF-04'],
  },
  {
    id: 'fin-floor-limit-exclusive',
    class: 'terminal',
    rule: "an amount greater than or equal to the floor limit sets 'Transaction exceeds floor limit' (EMV 4.3 Book 3 §10.6.1)",
    requirements: ['TERM-FIN-05'],
  },
  {
    id: 'fin-tac-denial-ignored',
    class: 'terminal',
    rule: 'a TVR bit set in the TAC-Denial or IAC-Denial makes the terminal ask for an AAC (EMV 4.3 Book 3 §10.7)',
    requirements: ['TERM-FIN-06'],
  },
  {
    id: 'fin-iac-default-ignored',
    class: 'terminal',
    rule: 'unable to go online, a TVR bit set in the TAC-Default or IAC-Default makes the terminal ask for an AAC (EMV 4.3 Book 3 §10.7)',
    requirements: ['TERM-FIN-06'],
  },
  {
    id: 'fin-arc-not-sent',
    class: 'terminal',
    rule: 'the second GENERATE AC carries in CDOL2 the ARC 8A the issuer returned (EMV 4.3 Book 3 §10.9, Book 4 §6.3.7)',
    requirements: ['TERM-FIN-06'],
  },
  {
    id: 'fin-declining-arc-approved',
    class: 'terminal',
    rule: 'an issuer declining the transaction makes the terminal ask for an AAC in the second GENERATE AC (EMV 4.3 Book 3 §10.9)',
    requirements: ['TERM-FIN-06'],
  },
  {
    id: 'fin-issuer-auth-failure-ignored',
    class: 'terminal',
    rule: "EXTERNAL AUTHENTICATE answered other than 9000 sets 'Issuer authentication failed' (EMV 4.3 Book 3 §10.9)",
    requirements: ['TERM-FIN-10'],
  },
  {
    id: 'fin-scripts-not-run',
    class: 'terminal',
    rule: "the issuer's scripts are sent to the card and their results reported (EMV 4.3 Book 3 §10.10)",
    requirements: ['TERM-FIN-07'],
  },
  {
    id: 'fin-scripts-before-final-ac',
    class: 'terminal',
    rule: 'scripts of template 72 are sent after the final GENERATE AC, not before it (EMV 4.3 Book 3 §10.10)',
    requirements: ['TERM-FIN-07'],
  },
  // the social-security terminal (the overall scheme's terminal duties; docs/ssse.md)
  {
    id: 'ss-expiry-not-checked',
    class: 'terminal',
    rule: 'the validity check refuses a card past the expiry date of its basic data (overall scheme of 人社部发〔2011〕83号, terminals)',
    requirements: ['TERM-SS-03'],
  },
  {
    id: 'ss-issue-date-not-checked',
    class: 'terminal',
    rule: 'the validity check refuses a card whose issue date is after today (overall scheme of 人社部发〔2011〕83号, terminals)',
    requirements: ['TERM-SS-03'],
  },
  {
    id: 'ss-blocked-application-accepted',
    class: 'terminal',
    rule: 'the validity check refuses a card whose SSSE answers SELECT 6283, application blocked (docs/ssse.md §9)',
    requirements: ['TERM-SS-03'],
  },
  {
    id: 'ss-unknown-version-accepted',
    class: 'terminal',
    rule: 'a card of a specification version (EF05 tag 03) the terminal does not know is refused, not read otherwise (docs/ssse.md §2)',
    requirements: ['TERM-SS-06'],
  },
  {
    id: 'ss-internal-auth-skipped',
    class: 'terminal',
    rule: "the terminal checks the card is genuine by INTERNAL AUTHENTICATE against its PSAM's cryptogram (docs/ssse.md §4)",
    requirements: ['TERM-SS-02'],
  },
  {
    id: 'ss-internal-auth-partial-compare',
    class: 'terminal',
    rule: "the card's INTERNAL AUTHENTICATE cryptogram is compared in full with the PSAM's (docs/ssse.md §4)",
    requirements: ['TERM-SS-02'],
  },
  {
    id: 'ss-factor-order-swapped',
    class: 'terminal',
    rule: "the PSAM diversifies the master keys with the card's factors in the key set's order (docs/ssse.md §5)",
    requirements: ['TERM-SS-02'],
  },
] as const satisfies readonly DefectInfo[];
