/**
 * Access-condition check (ISO/IEC 7816-4:2005 §5.4, security attributes):
 * 'always' passes, 'never' is 6982 ("security status not satisfied").
 */
import { SW } from '../../core/sw.ts';
import { fail } from '../errors.ts';
import type { CardContext } from '../card.ts';
import type { AccessCondition } from '../fs.ts';

export function checkAccess(condition: AccessCondition, _ctx: CardContext): void {
  if (condition === 'never') fail(SW.SECURITY_NOT_SATISFIED, 'access condition: never');
}
