/**
 * COS behaviour options: where conforming COS implementations differ, a
 * profile says which way its card goes (`behaviour` in a profile). The
 * simulator is built from them and the checks on real cards read them.
 */
import { SW } from '../core/sw.ts';

/** Behaviour switches that differ between real COS implementations (profile `behaviour`). */
export interface CosBehaviour {
  /**
   * An explicit Le (not 00) that differs from the length of the response data:
   * '6Cxx' answers 6Cxx with the exact length (T=0 practice); 'lenient' returns
   * the data when Le is larger (ISO/IEC 7816-4: Ne is a maximum) and 6Cxx when smaller.
   */
  wrongLe: '6Cxx' | 'lenient';
  /** Le = 00 (Ne = 256) with less data available: return it, or answer 6Cxx. */
  leZero: 'return-all' | '6Cxx';
  /** READ BINARY with an explicit Le that crosses the end of the file. */
  readBinaryBeyondEnd: '6282' | '6Cxx';
  /** What SELECT of an EF returns with P2 = 00: nothing, or its FCP (tag 62). */
  efSelectResponse: 'none' | 'fcp';
  /** Status word for GET RESPONSE when nothing is pending. */
  getResponseNothingPending: number;
  /** Whether GET KEY INFO tells key version and KCV. */
  keyInfoReadable: boolean;
  /**
   * Under T=0, which answers carry their data through 61xx and GET RESPONSE
   * (ISO/IEC 7816-3 §10.3.5 allows either for case 2): 'case-3-4' returns the
   * data of a case 2 command directly when Le fits and makes case 3/4 data
   * wait; 'always' makes every answer with data wait for GET RESPONSE, as
   * some T=0 COS do (a test card for terminals that must chain).
   */
  t0GetResponse: 'case-3-4' | 'always';
}

export const DEFAULT_BEHAVIOUR: CosBehaviour = {
  wrongLe: '6Cxx',
  leZero: 'return-all',
  readBinaryBeyondEnd: '6Cxx',
  efSelectResponse: 'none',
  getResponseNothingPending: SW.CONDITIONS_NOT_SATISFIED,
  keyInfoReadable: true,
  t0GetResponse: 'case-3-4',
};
