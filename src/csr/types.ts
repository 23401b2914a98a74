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
  /** Ignored, as cfssl 1.6.5 ignores it. */
  SerialNumber?: string;
  /** Further attributes by dotted OID (cfssl 1.6). */
  OID?: Record<string, string>;
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
  /** gencert -initca: the CA certificate's CRL distribution point. */
  crl_url?: string;
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
  /** `crl_url`: the CRL distribution point of a CA made by -initca (cfssl 1.6). */
  readonly crlUrl?: string;
  /**
   * Whether `names[]` is not empty and each entry has C, ST, L, O or OU: cfssl's -initca needs this or a CN
   * ("missing subject information").
   */
  readonly namesSubject?: boolean;
}
