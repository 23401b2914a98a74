import { PkiError, jsonPointer } from '../errors.js';
import { MAX_HOSTS, classifyHosts } from '../x509/hosts.js';
import { ipToBytes, ipToText } from '../x509/ip.js';
import { CLUSTER_DEFAULTS, LOCALHOST_HOSTS, NAME_PLACEHOLDER } from './defaults.js';
import type { ClusterJson, MemberJson } from './types.js';

/**
 * The rules a schema-valid cluster description must also follow, each a small function throwing a
 * PkiError INVALID_CLUSTER (or INVALID_HOST) with the file, JSON path and fix. Most guard against a
 * mistake of the walkthrough: a member block copied with another member's address or name, names
 * that break `ETCD_INITIAL_CLUSTER`, paths that break the env file.
 */
export function checkClusterRules(json: ClusterJson, file?: string): void {
  if (json.members.length === 0) {
    throw new PkiError('INVALID_CLUSTER', 'the cluster has no members', { file, path: '/members', hint: 'add at least one member' });
  }
  checkClusterSize(json, file);
  checkToken(json.token, file);
  checkIdentityNames(json, file);
  json.members.forEach((member, index) => memberHostKinds(member, index, file));
  checkInitialClusterStates(json.members, file);
  checkListenAddresses(json.members, file);
  checkAdvertisedUrls(json.members, file);
  checkSharedServerCert(json, file);
  checkPathTemplate(json.pkiDir, 'pkiDir', file);
  checkPathTemplate(json.dataDir, 'dataDir', file);
  checkOwner(json.owner, file);
  checkCommonNames(json, file);
}

/**
 * The most members and clients a bundle has. etcd recommends 3, 5 or 7 members and runs none
 * with thousands (every write waits for a majority); each member's etcd.conf and each client's
 * env file list every member, so the bundle grows with the square of its size: 1,000 of each
 * (the bulk benchmark's cluster) is about 100 MB written, 10,000 would be 10 GB.
 */
export const MAX_CLUSTER_SIZE = { members: 1000, clients: 1000 } as const;

/** At most MAX_CLUSTER_SIZE members and clients, checked before anything else reads them all. */
export function checkClusterSize(json: ClusterJson, file?: string): void {
  const clients = json.clients?.length ?? 0;
  if (json.members.length > MAX_CLUSTER_SIZE.members) {
    throw new PkiError(
      'INVALID_CLUSTER',
      `the cluster has ${json.members.length} members, more than the ${MAX_CLUSTER_SIZE.members} etcd-pki writes a bundle for`,
      {
        file,
        path: '/members',
        hint: 'etcd recommends 3, 5 or 7 members; run more clusters rather than a bigger one',
      },
    );
  }
  if (clients > MAX_CLUSTER_SIZE.clients) {
    throw new PkiError(
      'INVALID_CLUSTER',
      `the cluster has ${clients} clients, more than the ${MAX_CLUSTER_SIZE.clients} etcd-pki writes a bundle for`,
      {
        file,
        path: '/clients',
        hint: 'give clients that share a role one identity, or issue the rest with gencert -profile client',
      },
    );
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const NAME_HINT = 'use up to 63 letters, digits, ".", "_" and "-", starting with a letter or digit';

/** Names of the bundle's own entries, which no member or client may take. */
export const RESERVED_NAMES = ['ca', 'manifest.json', 'README.txt'] as const;

/**
 * Member and client names become `ETCD_NAME`, entries of `ETCD_INITIAL_CLUSTER` (`name=url,...`),
 * directories of the bundle and file names on the node: one plain path segment each, without
 * `=` or `,`, unique (ignoring case, for case-insensitive file systems), none of the bundle's own.
 */
export function checkIdentityNames(json: ClusterJson, file?: string): void {
  const seen = new Map<string, string>();
  const entries = [
    ...json.members.map((m, i) => ({ name: m.name, kind: 'member', path: jsonPointer('members', i, 'name') })),
    ...(json.clients ?? []).map((c, i) => ({ name: c.name, kind: 'client', path: jsonPointer('clients', i, 'name') })),
  ];
  for (const { name, kind, path } of entries) {
    if (!NAME.test(name)) {
      const why =
        name === '' ? 'is empty' : /[=,]/.test(name) ? 'would break ETCD_INITIAL_CLUSTER ("name=url,...")' : 'is not a plain name';
      throw new PkiError('INVALID_CLUSTER', `${kind} name ${JSON.stringify(name)} ${why}`, { file, path, hint: NAME_HINT });
    }
    if ((RESERVED_NAMES as readonly string[]).some((reserved) => reserved.toLowerCase() === name.toLowerCase())) {
      throw new PkiError(
        'INVALID_CLUSTER',
        `${kind} name ${JSON.stringify(name)} is taken by the bundle's own ${name.toLowerCase() === 'ca' ? 'CA directory' : 'file'}`,
        {
          file,
          path,
          hint: `choose another name (${RESERVED_NAMES.map((r) => JSON.stringify(r)).join(', ')} are reserved)`,
        },
      );
    }
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) {
      throw new PkiError('INVALID_CLUSTER', `${kind} name ${JSON.stringify(name)} is already used by ${other}`, {
        file,
        path,
        hint: 'every member and client needs its own name: it names its directory and, for members, ETCD_NAME',
      });
    }
    seen.set(name.toLowerCase(), `${kind} ${JSON.stringify(name)}`);
  }
}

/** A member's hosts, sorted: IP addresses (each normalised) and DNS names. */
export interface MemberHostKinds {
  readonly ips: readonly string[];
  readonly dnsNames: readonly string[];
}

/**
 * Checks a member's hosts and sorts them: IP addresses and DNS names only (no email or URI, no
 * wildcard), at least one IP address (etcd listens on IP addresses, not names), no unspecified,
 * broadcast or multicast address.
 */
export function memberHostKinds(member: MemberJson, index: number, file?: string): MemberHostKinds {
  const path = jsonPointer('members', index, 'hosts');
  const at = (host: string) => `${path}${jsonPointer(member.hosts.indexOf(host))}`;
  // 192.168.0.9.2, 192.168.0.256 and fd00:::92 are meant as IP addresses (no DNS name is all
  // digits and dots: RFC 1123 2.1); checked before classifyHosts, whose message for them does not
  // name the member, so that a -member flag's mistake reads as one.
  const malformed = member.hosts.find(
    (host) =>
      typeof host === 'string' &&
      (/^[0-9.]+$/.test(host) || (/^[0-9A-Fa-f:.]+$/.test(host) && host.split(':').length > 2)) &&
      ipToBytes(host) === undefined,
  );
  if (malformed !== undefined) {
    const unpadded = malformed
      .split('.')
      .map((part) => String(Number(part)))
      .join('.');
    throw new PkiError(
      'INVALID_HOST',
      `host ${JSON.stringify(malformed)} of member ${JSON.stringify(member.name)} is not a valid IP address`,
      {
        file,
        path: at(malformed),
        hint: ipToBytes(unpadded)
          ? `write it without leading zeros, as ${unpadded} (some resolvers read 010 as octal 8)`
          : 'an IPv4 address is four numbers from 0 to 255 separated by dots (192.168.0.92); an IPv6 address is written as in fd00::92',
      },
    );
  }
  const sans = classifyHosts(member.hosts, { file, path });
  const other = [...sans.email, ...sans.uri][0];
  if (other !== undefined) {
    throw new PkiError(
      'INVALID_HOST',
      `host ${JSON.stringify(other)} of member ${JSON.stringify(member.name)} is not an IP address or DNS name`,
      {
        file,
        path: at(other),
        hint: 'member hosts are the IP addresses and DNS names clients and peers use to reach it',
      },
    );
  }
  const wildcard = sans.dns.find((name) => name.startsWith('*'));
  if (wildcard !== undefined) {
    throw new PkiError('INVALID_HOST', `member ${JSON.stringify(member.name)} cannot have the wildcard name ${JSON.stringify(wildcard)}`, {
      file,
      path: at(wildcard),
      hint: "list the member's own DNS name; its URLs must name one host",
    });
  }
  if (sans.ip.length === 0) {
    throw new PkiError('INVALID_CLUSTER', `member ${JSON.stringify(member.name)} has no IP address`, {
      file,
      path,
      hint: `etcd listens on IP addresses: add the member's address, e.g. "${member.name}=192.168.0.91${member.hosts[0] ? ',' + member.hosts[0] : ''}"`,
    });
  }
  for (const ip of sans.ip) {
    const bytes = ipToBytes(ip)!;
    const reason = bytes.every((b) => b === 0)
      ? 'is the unspecified address'
      : bytes.length === 4 && bytes.every((b) => b === 255)
        ? 'is the broadcast address'
        : (bytes.length === 4 && bytes[0]! >= 224 && bytes[0]! <= 239) || (bytes.length === 16 && bytes[0] === 0xff)
          ? 'is a multicast address'
          : undefined;
    if (reason) {
      throw new PkiError('INVALID_HOST', `IP address ${ip} of member ${JSON.stringify(member.name)} ${reason}`, {
        file,
        path: at(ip),
        hint: 'give the address the member is reached at; certificates cannot name "any address"',
      });
    }
  }
  return { ips: sans.ip.map(canonicalIp), dnsNames: sans.dns };
}

/** An IP address as Go prints it (`::1`, `fd00::1`, `192.168.0.91`): one spelling per address. */
export function canonicalIp(ip: string): string {
  const bytes = ipToBytes(ip);
  return bytes ? ipToText(bytes) : ip;
}

/**
 * Founding members (`new`) come first and there is at least one: a member that joins an existing
 * cluster lists every member before it in its ETCD_INITIAL_CLUSTER.
 */
export function checkInitialClusterStates(members: readonly MemberJson[], file?: string): void {
  const firstExisting = members.findIndex((m) => m.initialClusterState === 'existing');
  if (firstExisting === 0) {
    throw new PkiError('INVALID_CLUSTER', 'the first member joins an "existing" cluster, but no member founds it', {
      file,
      path: jsonPointer('members', 0, 'initialClusterState'),
      hint: 'remove "initialClusterState" from the founding members ("new" is the default)',
    });
  }
  if (firstExisting < 0) return;
  const lateNew = members.findIndex((m, i) => i > firstExisting && m.initialClusterState !== 'existing');
  if (lateNew >= 0) {
    throw new PkiError(
      'INVALID_CLUSTER',
      `member ${JSON.stringify(members[lateNew]!.name)} founds the cluster but is listed after a member added later`,
      {
        file,
        path: jsonPointer('members', lateNew),
        hint: 'list the founding ("new") members first, then the added ("existing") ones in the order they were added',
      },
    );
  }
}

/** No two members listen on the same address and port, client or peer (the copy-paste mistake). */
export function checkListenAddresses(members: readonly MemberJson[], file?: string): void {
  const taken = new Map<string, { member: string; kind: string }>();
  members.forEach((member, index) => {
    const ports = [
      ['client', member.clientPort ?? CLUSTER_DEFAULTS.clientPort],
      ['peer', member.peerPort ?? CLUSTER_DEFAULTS.peerPort],
    ] as const;
    const ips = new Set<string>();
    member.hosts.forEach((host, hostIndex) => {
      if (!ipToBytes(host)) return;
      const ip = canonicalIp(host);
      if (ips.has(ip)) return;
      ips.add(ip);
      for (const [kind, port] of ports) {
        const key = `${ip} ${port}`;
        const owner = taken.get(key);
        if (owner !== undefined) {
          const same = owner.member === member.name;
          throw new PkiError(
            'INVALID_CLUSTER',
            `${ip}:${port} is member ${JSON.stringify(member.name)}'s ${kind} port and also ${same ? 'its' : `member ${JSON.stringify(owner.member)}'s`} ${owner.kind} port`,
            {
              file,
              path: jsonPointer('members', index, 'hosts', hostIndex),
              hint: same
                ? 'give the client and peer ports different numbers'
                : `each member needs its own address (or other ports); was ${JSON.stringify(owner.member)}'s entry copied?`,
            },
          );
        }
        taken.set(key, { member: member.name, kind });
      }
    });
  });
}

/** No two members advertise the same URL (their first host and a port). */
export function checkAdvertisedUrls(members: readonly MemberJson[], file?: string): void {
  const taken = new Map<string, string>();
  members.forEach((member, index) => {
    const host = member.hosts[0]!;
    const normalised = ipToBytes(host) ? canonicalIp(host) : host.toLowerCase().replace(/\.$/, '');
    const ports = new Set([member.clientPort ?? CLUSTER_DEFAULTS.clientPort, member.peerPort ?? CLUSTER_DEFAULTS.peerPort]);
    for (const port of ports) {
      const owner = taken.get(`${normalised} ${port}`);
      if (owner !== undefined) {
        throw new PkiError(
          'INVALID_CLUSTER',
          `member ${JSON.stringify(member.name)} would advertise ${host}:${port}, as member ${JSON.stringify(owner)} does`,
          {
            file,
            path: jsonPointer('members', index, 'hosts', 0),
            hint: "put the member's own address first in its hosts",
          },
        );
      }
    }
    for (const port of ports) taken.set(`${normalised} ${port}`, member.name);
  });
}

/** A shared server certificate names every member's hosts: it cannot name more than one certificate may. */
export function checkSharedServerCert(json: ClusterJson, file?: string): void {
  if (!json.sharedServerCert) return;
  const count = json.members.reduce((sum, m) => sum + m.hosts.length, 0) + (json.localhost === false ? 0 : LOCALHOST_HOSTS.length);
  if (count > MAX_HOSTS) {
    throw new PkiError(
      'INVALID_CLUSTER',
      `a shared server certificate would name ${count} hosts, more than the ${MAX_HOSTS} one certificate may`,
      {
        file,
        path: jsonPointer('sharedServerCert'),
        hint: 'give each member its own server certificate (remove "sharedServerCert")',
      },
    );
  }
}

// Characters that would need escaping in an env file, YAML or a shell script: refused instead.
const UNSAFE_PATH_CHARACTERS = /["'`$\\\s\x00-\x1f\x7f,;&|<>*?!#~]/;

/**
 * `pkiDir` and `dataDir` are absolute paths (etcd runs from its service's directory) made of
 * characters that need no quoting in etcd.conf, etcd.yaml and install.sh, with no `..`, and
 * `{name}` as their only placeholder.
 */
export function checkPathTemplate(template: string | undefined, key: 'pkiDir' | 'dataDir', file?: string): void {
  if (template === undefined) return;
  const path = jsonPointer(key);
  const fail = (why: string, hint: string) =>
    new PkiError('INVALID_CLUSTER', `${key} ${JSON.stringify(template)} ${why}`, { file, path, hint });
  if (!template.startsWith('/')) {
    throw fail('is not an absolute path', `write the full path on the node, e.g. ${JSON.stringify(CLUSTER_DEFAULTS[key])}`);
  }
  const placeholders = template.match(/\{[^}]*\}?/g) ?? [];
  const unknown = placeholders.find((p) => p !== NAME_PLACEHOLDER);
  if (unknown !== undefined) {
    throw fail(
      `has the unknown placeholder ${JSON.stringify(unknown)}`,
      `the only placeholder is ${NAME_PLACEHOLDER} (the member or client name)`,
    );
  }
  const bare = template.replaceAll(NAME_PLACEHOLDER, 'x');
  const bad = UNSAFE_PATH_CHARACTERS.exec(bare);
  if (bad) {
    throw fail(`contains ${JSON.stringify(bad[0])}`, 'use letters, digits, "/", ".", "_", "-", "+", ":", "@" and "=" in paths');
  }
  if (bare.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw fail('contains "." or ".." segments', 'write the path without them');
  }
}

const TOKEN = /^[A-Za-z0-9._:@+-]{1,128}$/;

/** The token is written unquoted-safe into etcd.conf and etcd.yaml. */
export function checkToken(token: string | undefined, file?: string): void {
  if (token === undefined || TOKEN.test(token)) return;
  throw new PkiError('INVALID_CLUSTER', `token ${JSON.stringify(token)} is not usable as ETCD_INITIAL_CLUSTER_TOKEN`, {
    file,
    path: jsonPointer('token'),
    hint: 'use up to 128 letters, digits and . _ - : @ +',
  });
}

const OWNER = /^[a-z_][a-z0-9_.-]{0,31}\$?(?::[a-z_][a-z0-9_.-]{0,31}\$?)?$/i;

/** `owner` is `user` or `user:group`, as chown takes it. */
export function checkOwner(owner: string | undefined, file?: string): void {
  if (owner === undefined || OWNER.test(owner)) return;
  throw new PkiError('INVALID_CLUSTER', `owner ${JSON.stringify(owner)} is not a user:group`, {
    file,
    path: jsonPointer('owner'),
    hint: 'write it as chown takes it, e.g. "etcd:etcd"',
  });
}

/** A CN given is not empty: an empty one would silently fall back to nothing. */
export function checkCommonNames(json: ClusterJson, file?: string): void {
  if (json.ca?.CN !== undefined && json.ca.CN.trim() === '') {
    throw new PkiError('INVALID_CLUSTER', 'the CA common name is empty', {
      file,
      path: jsonPointer('ca', 'CN'),
      hint: 'remove "CN" for the default "ETCD Root CA"',
    });
  }
  (json.clients ?? []).forEach((client, index) => {
    if (client.CN !== undefined && client.CN.trim() === '') {
      throw new PkiError('INVALID_CLUSTER', `client ${JSON.stringify(client.name)} has an empty CN`, {
        file,
        path: jsonPointer('clients', index, 'CN'),
        hint: 'remove "CN" to use the client name',
      });
    }
  });
}
