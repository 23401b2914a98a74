import { keySpecOf } from '../csr/load.js';
import { parseGoDuration } from '../duration.js';
import { jsonPointer } from '../errors.js';
import { assertSchema, parseAndValidate } from '../validate.js';
import { CLUSTER_DEFAULTS } from './defaults.js';
import { checkClusterRules, memberHostKinds } from './rules.js';
import type { CertificateRole, Client, ClusterDescription, ClusterJson, Member } from './types.js';

export interface LoadClusterOptions {
  /** The file name used in error messages. */
  file?: string | undefined;
}

/**
 * Reads a cluster description (cluster.json): strict JSON, the schema, then the rules, each error
 * naming the file, JSON path and fix.
 * @throws PkiError INVALID_JSON, INVALID_CLUSTER, INVALID_HOST, INVALID_DURATION, KEY_*.
 */
export function loadClusterDescription(text: string, options: LoadClusterOptions = {}): ClusterDescription {
  const json = parseAndValidate('cluster', text, options.file) as ClusterJson;
  return normaliseClusterDescription(json, options.file);
}

/**
 * Checks an object built in memory (from command-line flags, or manifest.json's `cluster`) against
 * the schema, then normalises it as loadClusterDescription does.
 */
export function validateClusterDescription(value: unknown, file?: string): ClusterDescription {
  assertSchema('cluster', value, file);
  return normaliseClusterDescription(value as ClusterJson, file);
}

/**
 * Turns schema-valid cluster JSON into a description: rules first, then every default written
 * out (the `json` of the result is the complete description, as manifest.json keeps it).
 */
export function normaliseClusterDescription(json: ClusterJson, file?: string): ClusterDescription {
  checkClusterRules(json, file);
  const key = keySpecOf(json.key, file);
  const complete = completeClusterJson(json);
  const expiry = {} as Record<CertificateRole | 'ca', number>;
  for (const role of ['ca', 'server', 'peer', 'client'] as const) {
    expiry[role] = parseGoDuration(complete.expiry![role]!, { file, path: jsonPointer('expiry', role) });
  }
  const names = complete.names ?? [];
  const members: Member[] = complete.members.map((member, index) => {
    const { ips, dnsNames } = memberHostKinds(member, index, file);
    return {
      name: member.name,
      hosts: member.hosts,
      ips,
      dnsNames,
      advertiseHost: member.hosts[0]!,
      clientPort: member.clientPort!,
      peerPort: member.peerPort!,
      initialClusterState: member.initialClusterState!,
    };
  });
  const clients: Client[] = (complete.clients ?? []).map((client) => ({
    name: client.name,
    commonName: client.CN ?? client.name,
    names: client.names ?? names,
  }));
  return {
    file,
    token: complete.token!,
    members,
    clients,
    names,
    caCommonName: complete.ca!.CN!,
    key,
    expiry,
    pkiDir: complete.pkiDir!,
    dataDir: complete.dataDir!,
    sharedServerCert: complete.sharedServerCert!,
    localhost: complete.localhost!,
    owner: complete.owner!,
    json: complete,
  };
}

/** cluster.json with every default written out, keys in the schema's order. */
export function completeClusterJson(json: ClusterJson): ClusterJson {
  const d = CLUSTER_DEFAULTS;
  return {
    ...(json.$schema !== undefined ? { $schema: json.$schema } : {}),
    token: json.token ?? d.token,
    members: json.members.map((member) => ({
      name: member.name,
      hosts: [...member.hosts],
      clientPort: member.clientPort ?? d.clientPort,
      peerPort: member.peerPort ?? d.peerPort,
      initialClusterState: member.initialClusterState ?? 'new',
    })),
    clients: (json.clients ?? d.clients.map((name) => ({ name }))).map((client) => ({ ...client })),
    ...(json.names !== undefined ? { names: json.names.map((n) => ({ ...n })) } : {}),
    ca: { CN: json.ca?.CN ?? d.caCommonName },
    key: json.key ? { ...json.key } : { ...d.key },
    expiry: {
      ca: json.expiry?.ca ?? d.expiry.ca,
      server: json.expiry?.server ?? d.expiry.server,
      peer: json.expiry?.peer ?? d.expiry.peer,
      client: json.expiry?.client ?? d.expiry.client,
    },
    pkiDir: json.pkiDir ?? d.pkiDir,
    dataDir: json.dataDir ?? d.dataDir,
    sharedServerCert: json.sharedServerCert ?? d.sharedServerCert,
    localhost: json.localhost ?? d.localhost,
    owner: json.owner ?? d.owner,
  };
}
