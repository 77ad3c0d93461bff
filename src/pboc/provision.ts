/**
 * ODA data of a card from the lab PKI (docs/pboc-design.md): the CA index,
 * the issuer certificate, the ICC certificate over the card's static data,
 * and the signed static data (DAC 0000-style: the first two bytes of the
 * PAN's digits after the issuer identifier).
 */
import { fromHex } from '../core/bytes.ts';
import type { OdaProvider } from './image.ts';
import type { PbocJson } from '../model/pboc-data.ts';
import { iccCertificate, issuerCertificate } from './oda.ts';
import { signStaticData } from './oda-data.ts';
import { caOf, iccOf, issuerOf, loadPki, privateKeyOf, publicKeyOf } from './pki.ts';

export function odaProviderFor(pboc: PbocJson): OdaProvider {
  return (staticData) => {
    const pki = loadPki();
    const issuer = issuerOf(pki, pboc.pki.issuer);
    const icc = iccOf(pki, pboc.pki.icc);
    const ca = caOf(pki, issuer.ca);
    if (issuer.suite !== icc.suite || ca.suite !== issuer.suite)
      throw new Error(`the PKI keys of the card are of different suites (CA ${ca.suite}, issuer ${issuer.suite}, ICC ${icc.suite})`);
    if ((pboc.suite === 'sm') !== (icc.suite === 'sm2'))
      throw new Error(`a ${pboc.suite} card takes ${pboc.suite === 'sm' ? 'SM2' : 'RSA'} keys, "${icc.id}" is ${icc.suite}`);
    const issuerCert = issuerCertificate(privateKeyOf(ca), publicKeyOf(issuer), {
      id: issuer.issuerId,
      expiry: issuer.expiry,
      serial: issuer.serial,
    });
    const iccCert = iccCertificate(
      privateKeyOf(issuer),
      publicKeyOf(icc),
      { id: pboc.pan, expiry: icc.expiry, serial: icc.serial },
      staticData,
    );
    return {
      caIndex: fromHex(ca.index),
      issuerCert: issuerCert.cert,
      issuerRemainder: issuerCert.remainder,
      issuerExponent: issuerCert.exponent,
      iccCert: iccCert.cert,
      iccRemainder: iccCert.remainder,
      iccExponent: iccCert.exponent,
      ssad: signStaticData(privateKeyOf(issuer), staticData, fromHex('DAC1')),
    };
  };
}
