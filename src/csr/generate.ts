import { generateKeyPair } from '../keys/generate.js';
import type { KeyPair } from '../keys/types.js';
import type { Der } from '../pem/pem.js';
import { encodeName } from '../x509/name.js';
import { basicConstraintsExtension } from '../x509/extensions/basic-constraints.js';
import { createCertificationRequest } from '../x509/request.js';
import type { CertificateRequestSpec } from './types.js';

/** A key and the PKCS#10 request for it (cfssl `genkey`). */
export interface GeneratedRequest {
  readonly key: KeyPair;
  readonly csr: Der;
}

/**
 * Makes the PKCS#10 request for `spec`, with `key` when given (cfssl `gencsr`), else with a new
 * key of the spec's algorithm (cfssl `genkey`). A request with a `ca` section asks for
 * basicConstraints CA:TRUE with its pathlen, as cfssl's requests for a CA do.
 */
export async function generateRequest(spec: CertificateRequestSpec, key?: KeyPair): Promise<GeneratedRequest> {
  const keyPair = key ?? (await generateKeyPair(spec.key));
  const extensions = spec.ca ? [basicConstraintsExtension({ isCA: true, pathLen: spec.ca.pathLen })] : [];
  const csr = await createCertificationRequest({ subject: encodeName(spec.subject), sans: spec.sans, extensions }, keyPair);
  return { key: keyPair, csr };
}
