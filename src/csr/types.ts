import type { GoDuration, Milliseconds } from '../duration.js';
import type { KeySpec } from '../keys/algorithms.js';
import type { SubjectAltNames } from '../x509/hosts.js';
import type { SubjectName } from '../x509/name.js';

/** One `names[]` entry of a CSR JSON file, as written. */
export interface NameJson {
  C?: string;
  ST?: string;
  L?: string;
  O?: string;
  OU?: string;
  E?: string;
  SerialNumber?: string;
}

/** A cfssl CSR JSON file (`*-csr.json`) as written, after schema validation. */
export interface CsrJson {
  $schema?: string;
  CN?: string;
  hosts?: string[];
  key?: { algo: 'ecdsa' | 'rsa' | 'ed25519'; size?: number };
  names?: NameJson[];
  ca?: { expiry?: GoDuration; pathlen?: number; pathlenzero?: boolean; backdate?: GoDuration };
  serialnumber?: string;
}

/** CA settings of a request (`ca` in the JSON), normalised. */
export interface CaRequest {
  /** Validity of the CA certificate; undefined means cfssl's five years. */
  readonly expiry?: Milliseconds;
  /** pathLenConstraint; undefined writes none. */
  readonly pathLen?: number;
  readonly backdate?: Milliseconds;
}

/** A certificate request normalised: what to put in the subject, the SANs and the key. */
export interface CertificateRequestSpec {
  readonly subject: SubjectName;
  readonly hosts: readonly string[];
  readonly sans: SubjectAltNames;
  readonly key: KeySpec;
  readonly ca?: CaRequest;
}
