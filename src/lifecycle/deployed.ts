import { PkiError } from '../errors.js';
import { parseCertificateBundle } from '../x509/parse.js';
import { parseConfigFile } from '../etcd-config/member-config.js';
import type { ExpirationInput } from './expiration.js';
import type { LifecycleRole } from './inventory.js';

/** A configuration file as deployed: its name as given and its text. */
export interface DeployedConfigText {
  readonly file: string;
  readonly text: string;
}

/** A certificate file a deployed configuration names. */
export interface DeployedCertificateRef {
  /** The path as the configuration writes it (on the node). */
  readonly path: string;
  readonly role: LifecycleRole;
  /** `ETCD_NAME` of the member, or the client's name. */
  readonly owner: string;
  /** The configuration that names it. */
  readonly config: string;
}

/**
 * The certificate files deployed configurations name: from a member's etcd.conf or etcd.yaml its
 * server (`ETCD_CERT_FILE`), peer (`ETCD_PEER_CERT_FILE`) and trusted CA files; from a client's
 * env file (`ETCDCTL_CERT`, `ETCDCTL_CACERT`) its certificate and CA. Read with doctor's parsers,
 * so the same formats are accepted. The caller reads the files.
 * @throws PkiError INVALID_CONFIG for a file that is no configuration doctor reads.
 */
export function deployedCertificateRefs(configs: readonly DeployedConfigText[]): DeployedCertificateRef[] {
  const refs: DeployedCertificateRef[] = [];
  const add = (path: string | undefined, role: LifecycleRole, owner: string, config: string) => {
    if (path === undefined || path === '') return;
    if (refs.some((r) => r.path === path && r.role === role && r.owner === owner)) return;
    refs.push({ path, role, owner, config });
  };
  for (const { file, text } of configs) {
    const parsed = parseConfigFile(text, file);
    if (parsed.kind === 'member') {
      const { config } = parsed;
      add(config.client.certFile, 'server', config.name, file);
      add(config.peer.certFile, 'peer', config.name, file);
      add(config.client.trustedCaFile, 'ca', config.name, file);
      add(config.peer.trustedCaFile, 'ca', config.name, file);
    } else {
      const { config } = parsed;
      add(config.certFile, 'client', config.name, file);
      add(config.caFile, 'ca', config.name, file);
    }
  }
  if (refs.length === 0) {
    throw new PkiError('INVALID_CONFIG', 'the configuration names no certificate file', {
      file: configs.map((c) => c.file).join(', '),
      hint: 'give the etcd.conf, etcd.yaml or client .env the cluster runs with (ETCD_CERT_FILE, ETCDCTL_CERT ...)',
    });
  }
  return refs;
}

/**
 * The report's inputs from the files the references name, read by the caller: bytes by path as
 * configured. A file that could not be read is reported by the caller, not here.
 * @throws PkiError INVALID_PEM / INVALID_CERTIFICATE naming the file.
 */
export function deployedExpirationInputs(
  refs: readonly DeployedCertificateRef[],
  files: ReadonlyMap<string, Uint8Array>,
): ExpirationInput[] {
  return refs.flatMap((ref) => {
    const bytes = files.get(ref.path);
    if (bytes === undefined) return [];
    const certificates = parseCertificateBundle(Buffer.from(bytes).toString('utf8'), ref.path);
    // A leaf file may carry its chain after the leaf; only the first certificate is the leaf's own.
    return (ref.role === 'ca' ? certificates : certificates.slice(0, 1)).map((certificate) => ({
      certificate,
      role: ref.role,
      owner: ref.owner,
      location: ref.path,
      source: 'deployed' as const,
    }));
  });
}
