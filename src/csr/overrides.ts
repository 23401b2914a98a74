import { classifyHosts } from '../x509/hosts.js';
import type { CertificateRequestSpec } from './types.js';
import { checkSubjectFlag } from './subject-rules.js';

export interface RequestOverrides {
  /** Replaces the request's hosts (cfssl `-hostname a,b`). */
  readonly hosts?: readonly string[] | undefined;
  /** Replaces the request's CN (cfssl `-cn`). */
  readonly commonName?: string | undefined;
}

/** The request with command-line overrides applied; hosts are checked like the file's. */
export function withOverrides(spec: CertificateRequestSpec, overrides: RequestOverrides): CertificateRequestSpec {
  if (overrides.commonName !== undefined) checkSubjectFlag(overrides.commonName, '-cn');
  const hosts = overrides.hosts ?? spec.hosts;
  return {
    ...spec,
    subject: overrides.commonName !== undefined ? { ...spec.subject, commonName: overrides.commonName } : spec.subject,
    hosts,
    // Hosts from -hostname: read as cfssl reads them (splitHosts has warned of an empty one).
    sans: overrides.hosts ? classifyHosts(hosts, { asCfssl: () => undefined }) : spec.sans,
  };
}
