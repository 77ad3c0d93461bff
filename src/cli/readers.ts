/**
 * `ssc-lab readers`: the PC/SC readers pcscd knows, with card presence and ATR.
 */
import { toHex } from '../core/bytes.ts';
import { listPcscReaders } from '../lab/target.ts';
import { EXIT, UsageError } from './errors.ts';

export async function readersCommand(argv: string[]): Promise<number> {
  if (argv.length) throw new UsageError(`readers takes no arguments, got ${argv.join(' ')}`);
  try {
    const readers = await listPcscReaders();
    if (readers.length === 0) console.log('no PC/SC reader');
    for (const [i, r] of readers.entries()) {
      console.log(`${i}  ${r.name}  ${r.present ? `card, ATR ${r.atr ? toHex(r.atr, ' ') : '?'}` : 'no card'}`);
    }
    return EXIT.OK;
  } catch (e) {
    if (e instanceof Error && e.name === 'PcscUnavailable') throw new UsageError(`readers: ${e.message}`);
    throw e;
  }
}
