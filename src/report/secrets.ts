/**
 * PINs out of the report's words. APDUs are masked where they are decoded
 * (trace.ts); this masks the PINs a scenario's own words carry: the quoted
 * digits of a step that speaks of a PIN (`When I verify the SSSE PIN
 * "654321"`), and wherever those values appear again — the scenario's name,
 * its Examples parameters, the step names of its traces and JUnit output.
 * `--show-secrets` leaves them all in clear.
 */

/** Quoted digit strings in a text that speaks of a PIN: the PIN values it names. */
const QUOTED_DIGITS = /"(\d{4,12})"/g;

/** The PIN values a scenario's step texts name (quoted 4 to 12 digits in a step that says "PIN"). */
export function pinsNamed(texts: readonly string[]): Set<string> {
  const pins = new Set<string>();
  for (const t of texts) {
    if (!/\bPIN\b/.test(t)) continue;
    for (const m of t.matchAll(QUOTED_DIGITS)) pins.add(m[1]!);
  }
  return pins;
}

/** `text` with each of `pins` — a whole run of digits, not part of a longer one — replaced by as many •. */
export function maskPins(text: string, pins: ReadonlySet<string>): string {
  if (pins.size === 0) return text;
  return text.replace(/\d{4,12}/g, (digits) => (pins.has(digits) ? '•'.repeat(digits.length) : digits));
}

/** A masker for one scenario: the PINs its steps name, applied to any of its texts; the identity when secrets are shown. */
export function pinMasker(stepTexts: readonly string[], showSecrets: boolean): (text: string) => string {
  if (showSecrets) return (t) => t;
  const pins = pinsNamed(stepTexts);
  return (t) => maskPins(t, pins);
}
