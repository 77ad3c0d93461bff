/**
 * `ssc-lab readers`: the PC/SC readers pcscd knows, with card presence and ATR.
 */
import { toHex } from '../core/bytes.ts';
import { EXIT, UsageError } from './errors.ts';

export async function readersCommand(argv: string[]): Promise<number> {
  if (argv.length) throw new UsageError(`readers takes no arguments, got ${argv.join(' ')}`);
  const { listReaders, PcscUnavailable } = await import('../transport/pcsc.ts');
  try {
    const readers = await listReaders();
    if (readers.length === 0) console.log('no PC/SC reader');
    readers.forEach((r, i) => console.log(`${i}  ${r.name}  ${r.present ? `card, ATR ${r.atr ? toHex(r.atr, ' ') : '?'}` : 'no card'}`));
    return EXIT.OK;
  } catch (e) {
    if (e instanceof PcscUnavailable) throw new UsageError(`readers: ${e.message}`);
    throw e;
  }
}
