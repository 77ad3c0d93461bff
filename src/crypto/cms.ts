/**
 * The lab's signing key and detached CMS signatures (RFC 5652 SignedData,
 * PKCS#7), with node-forge: node:crypto signs and verifies, but does not
 * write or read CMS. A reviewer checks a signature without this tool too:
 * `openssl cms -verify -binary -inform PEM -in MANIFEST.sha256.p7s -content
 * MANIFEST.sha256 -noverify` (or `-CAfile lab.cert.pem`).
 */
import forge from 'node-forge';

export interface LabKey {
  /** PEM of the RSA private key (PKCS#8 is not needed: forge's PKCS#1 PEM). */
  keyPem: string;
  /** PEM of the self-signed certificate that names the lab. */
  certPem: string;
}

/** A new RSA-2048 key and a self-signed certificate for `lab`, valid `years` from now. */
export function createLabKey(lab: string, years = 5, now = new Date()): LabKey {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + years * 365 * 24 * 3600 * 1000);
  // UTF8String (forge encodes the value), so that a lab's name in Chinese survives
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const subject = [
    { name: 'commonName', value: lab, valueTagClass: utf8 },
    { name: 'organizationalUnitName', value: 'ssc-lab dossier signing', valueTagClass: utf8 },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(keys.privateKey), certPem: forge.pki.certificateToPem(cert) };
}

/** A detached CMS signature (PEM) of `content` with the lab key, SHA-256, the certificate included. */
export function signDetached(content: Buffer, key: LabKey, signingTime = new Date()): string {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content.toString('binary'));
  const cert = forge.pki.certificateFromPem(key.certPem);
  p7.addCertificate(cert);
  p7.addSigner({
    key: forge.pki.privateKeyFromPem(key.keyPem),
    certificate: cert,
    digestAlgorithm: forge.pki.oids.sha256!,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
      { type: forge.pki.oids.messageDigest! },
      { type: forge.pki.oids.signingTime!, value: signingTime as unknown as string },
    ],
  });
  p7.sign({ detached: true });
  return forge.pkcs7.messageToPem(p7);
}

export interface SignatureCheck {
  valid: boolean;
  /** Why not, when not valid. */
  problem?: string;
  /** The signer's certificate subject (CN) and its SHA-256 fingerprint. */
  signer?: string;
  fingerprint?: string;
}

/** A certificate's subject common name, decoded from UTF-8. */
function commonName(cert: forge.pki.Certificate): string {
  const cn = cert.subject.getField('CN')?.value as string | undefined;
  if (cn === undefined) return '(no common name)';
  try {
    return forge.util.decodeUtf8(cn);
  } catch {
    return cn;
  }
}

/** The SHA-256 fingerprint of a certificate (DER), hex with colons. */
function fingerprintOf(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const md = forge.md.sha256.create();
  md.update(der);
  return md
    .digest()
    .toHex()
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/** A certificate's subject common name and SHA-256 fingerprint. */
export function describeCertificate(certPem: string): { subject: string; fingerprint: string } {
  const cert = forge.pki.certificateFromPem(certPem);
  return { subject: commonName(cert), fingerprint: fingerprintOf(cert) };
}

/**
 * Checks a detached CMS signature over `content`: the message digest
 * attribute against the content, and the signature over the authenticated
 * attributes with the included certificate's key; `trusted` (PEM), when given,
 * must be that certificate.
 */
export function verifyDetached(content: Buffer, p7Pem: string, trusted?: string): SignatureCheck {
  let p7: forge.pkcs7.PkcsSignedData;
  try {
    p7 = forge.pkcs7.messageFromPem(p7Pem) as forge.pkcs7.PkcsSignedData;
  } catch (e) {
    return { valid: false, problem: `the signature file is not a CMS message: ${(e as Error).message}` };
  }
  const cert = p7.certificates[0];
  // forge keeps the SignerInfo fields it parsed on the message object
  const raw = p7 as unknown as { rawCapture: { authenticatedAttributes?: forge.asn1.Asn1[]; signature: string; digestAlgorithm: string } };
  const attrs = raw.rawCapture?.authenticatedAttributes;
  if (!cert || !attrs) return { valid: false, problem: 'the signature holds no certificate or no signed attributes' };
  const signer = commonName(cert);
  const fingerprint = fingerprintOf(cert);
  if (trusted && fingerprintOf(forge.pki.certificateFromPem(trusted)) !== fingerprint)
    return { valid: false, problem: `signed by "${signer}" (${fingerprint}), not by the certificate given`, signer, fingerprint };
  // the message digest attribute must be the SHA-256 of the content
  const md = forge.md.sha256.create();
  md.update(content.toString('binary'));
  const digest = md.digest().getBytes();
  const digestAttr = attrs.find(
    (a) => forge.asn1.derToOid((a.value as forge.asn1.Asn1[])[0]!.value as string) === forge.pki.oids.messageDigest,
  );
  const signedDigest = digestAttr
    ? (((digestAttr.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!.value as string)
    : undefined;
  if (signedDigest !== digest)
    return { valid: false, problem: 'the signed content digest is not that of the manifest', signer, fingerprint };
  // the signature is over the DER of the attributes as a SET OF
  const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attrs);
  const attrMd = forge.md.sha256.create();
  attrMd.update(forge.asn1.toDer(set).getBytes());
  let ok = false;
  try {
    ok = (cert.publicKey as forge.pki.rsa.PublicKey).verify(attrMd.digest().getBytes(), raw.rawCapture.signature);
  } catch {
    ok = false;
  }
  return ok
    ? { valid: true, signer, fingerprint }
    : { valid: false, problem: 'the signature does not verify with the certificate', signer, fingerprint };
}
