import { NAME_PLACEHOLDER } from './defaults.js';

/**
 * The bundle's layout, stable and documented in README and README.txt. Paths are relative to the
 * output directory; a member's or client's directory holds exactly what its node needs.
 */
export const BUNDLE_FILES = {
  caCertificate: 'ca/ca.pem',
  caKey: 'ca/ca-key.pem',
  manifest: 'manifest.json',
  readme: 'README.txt',
} as const;

/** File names inside a member's directory (the walkthrough's names). */
export function memberFileNames(member: string) {
  return {
    ca: 'ca.pem',
    serverCertificate: `${member}.pem`,
    serverKey: `${member}-key.pem`,
    peerCertificate: `${member}-peer.pem`,
    peerKey: `${member}-peer-key.pem`,
    etcdConf: 'etcd.conf',
    etcdYaml: 'etcd.yaml',
    install: 'install.sh',
  } as const;
}

/** File names inside a client's directory. */
export function clientFileNames(client: string) {
  return {
    ca: 'ca.pem',
    certificate: `${client}.pem`,
    key: `${client}-key.pem`,
    env: `${client}.env`,
    install: 'install.sh',
  } as const;
}

export type MemberFileNames = ReturnType<typeof memberFileNames>;
export type ClientFileNames = ReturnType<typeof clientFileNames>;

/** A file's path in the bundle: `<owner>/<file>`. */
export function bundlePath(owner: string, fileName: string): string {
  return `${owner}/${fileName}`;
}

/** `pkiDir` (or `dataDir`) for one member or client: `{name}` expanded. */
export function expandTemplate(template: string, name: string): string {
  return template.replaceAll(NAME_PLACEHOLDER, name);
}

/** A file's path on the node: `<pkiDir>/<file>`. */
export function nodePath(pkiDir: string, fileName: string): string {
  return `${pkiDir.replace(/\/+$/, '')}/${fileName}`;
}
