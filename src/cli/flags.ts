/**
 * Strict readers of flag values shared by every ssc-lab command: whole
 * numbers written as plain decimal digits in a range (no "", " 2", "0x2",
 * "2e1", "+2" or "2.0" that `Number()` would take), digit strings of a
 * length (PINs, amounts, PANs), calendar dates YYYYMMDD, and values that
 * must not be empty. Each one throws a UsageError that names the command
 * and the flag, in one line.
 */
import { isCalendarDate } from '../ssse/records.ts';
import { UsageError } from './errors.ts';

/** `cmd: --flag …, got "value"`: the one line every bad flag value gets. */
function bad(cmd: string, flag: string, wants: string, text: string): UsageError {
  return new UsageError(`${cmd}: --${flag} ${wants}, got "${text}"`);
}

/**
 * A whole number from `min` to `max`, written in decimal digits only.
 * @param unit what the number counts, for the message ("worker processes", "seconds").
 */
export function intFlag(cmd: string, flag: string, text: string, min: number, max: number, unit?: string): number {
  const n = /^[0-9]{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw bad(cmd, flag, `takes a whole number from ${min} to ${max}${unit ? ` (${unit})` : ''}`, text);
  return n;
}

/** A string of `min` to `max` decimal digits (a PIN, an amount, a PAN), kept as text: leading zeros count. */
export function digitsFlag(cmd: string, flag: string, text: string, min: number, max: number, what: string): string {
  if (!/^[0-9]*$/.test(text) || text.length < min || text.length > max)
    throw bad(cmd, flag, `takes ${what}: ${min === max ? min : `${min} to ${max}`} digits`, text);
  return text;
}

/** A date YYYYMMDD of the calendar (20231301 and 20230230 are not). */
export function dateFlag(cmd: string, flag: string, text: string): string {
  if (!isCalendarDate(text)) throw bad(cmd, flag, 'takes a calendar date YYYYMMDD', text);
  return text;
}

/** The string flags of `values` that were given empty (or blank): a flag given must say something. */
export function rejectEmpty(cmd: string, values: Record<string, unknown>): void {
  for (const [flag, v] of Object.entries(values)) {
    const texts = Array.isArray(v) ? v : [v];
    if (texts.some((t) => typeof t === 'string' && t.trim() === '')) throw new UsageError(`${cmd}: --${flag} is empty`);
  }
}
