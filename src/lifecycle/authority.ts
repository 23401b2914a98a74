import { PkiError } from '../errors.js';
import { loadCertificateAuthority, type CertificateAuthority } from '../signing/authority.js';
import { BUNDLE_FILES } from '../bundle/layout.js';
import type { BundleInventory } from './inventory.js';

/**
 * The CA the bundle issues from: `ca/ca.pem` and `ca/ca-key.pem` (during a CA rotation, the one
 * issuing in that phase).
 * @throws PkiError INVALID_CLUSTER when the bundle holds no CA key (it was made with -ca), KEY_MISMATCH.
 */
export function bundleAuthority(inventory: BundleInventory): CertificateAuthority {
  const certificate = inventory.files.get(BUNDLE_FILES.caCertificate);
  const key = inventory.files.get(BUNDLE_FILES.caKey);
  if (certificate === undefined || key === undefined) {
    throw new PkiError(
      'INVALID_CLUSTER',
      `the bundle holds no CA ${certificate === undefined ? 'certificate' : 'key'} (${BUNDLE_FILES.caKey})`,
      {
        file: certificate === undefined ? BUNDLE_FILES.caCertificate : BUNDLE_FILES.caKey,
        hint: 'it was made with an existing CA: pass that CA with -ca and -ca-key',
      },
    );
  }
  return loadCertificateAuthority({ certificate, key, certificateFile: BUNDLE_FILES.caCertificate, keyFile: BUNDLE_FILES.caKey });
}

/**
 * The bundle's peer CA (`ca/peer-ca.pem` and its key), or undefined for a bundle with one CA.
 * @throws PkiError INVALID_CLUSTER for a peer CA certificate without its key; KEY_MISMATCH.
 */
export function bundlePeerAuthority(inventory: BundleInventory): CertificateAuthority | undefined {
  const certificate = inventory.files.get(BUNDLE_FILES.peerCaCertificate);
  if (certificate === undefined) return undefined;
  const key = inventory.files.get(BUNDLE_FILES.peerCaKey);
  if (key === undefined) {
    throw new PkiError('INVALID_CLUSTER', `the bundle holds the peer CA certificate but not its key (${BUNDLE_FILES.peerCaKey})`, {
      file: BUNDLE_FILES.peerCaKey,
      hint: 'put the peer CA key back from your backup; peer certificates cannot be issued without it',
    });
  }
  return loadCertificateAuthority({ certificate, key, certificateFile: BUNDLE_FILES.peerCaCertificate, keyFile: BUNDLE_FILES.peerCaKey });
}

/**
 * `ca`, checked to be the bundle's CA: issuing from another CA than the one the members trust
 * would make certificates nobody accepts.
 * @throws PkiError INVALID_CLUSTER naming ca/ca.pem.
 */
export function assertBundleCa(inventory: BundleInventory, ca: CertificateAuthority): CertificateAuthority {
  const kept = inventory.certificates.find((file) => file.path === BUNDLE_FILES.caCertificate)?.certificates[0];
  if (kept && !Buffer.from(kept.der).equals(Buffer.from(ca.certificate.der))) {
    throw new PkiError('INVALID_CLUSTER', `${BUNDLE_FILES.caCertificate} holds another CA than the one given with -ca`, {
      file: BUNDLE_FILES.caCertificate,
      hint: 'pass the CA this bundle issues from',
    });
  }
  return ca;
}
