import { publicKeyMatches } from '../../x509/parse.js';
import { canRead, canSearch, modeText, ownerText } from '../access.js';
import type { FindingSink } from '../findings.js';
import { readCertificateFile, readKeyFile } from '../material.js';
import type { DeployedClient, DeployedFile, DeployedMember, FileStat } from '../../etcd-config/model.js';
import {
  assign,
  baseName,
  clientFileRefs,
  memberFileRefs,
  perClient,
  perMember,
  tlsPairs,
  type Check,
  type CheckContext,
  type FileRef,
} from '../context.js';

const located = (file: DeployedFile) => (file.location === file.path ? file.path : `${file.path} (read from ${file.location})`);

function presence(refs: readonly FileRef[], files: ReadonlyMap<string, DeployedFile>, sink: FindingSink, copyHint: string): void {
  for (const ref of refs) {
    const file = files.get(ref.path);
    if (!file || file.bytes === undefined) {
      const why = file?.error ?? 'was not found';
      const where = file ? located(file) : ref.path;
      sink.fail(
        `${assign(ref.key, ref.path)}: ${where} ${why === 'missing' ? 'does not exist' : why}`,
        why === 'permission denied'
          ? 'run doctor as root (or as the user etcd runs as) so it can read the file'
          : `${copyHint.replace('{file}', baseName(ref.path))} or correct ${ref.key}`,
      );
    }
  }
}

/** files.present: every TLS file named exists, and a certificate comes with its key. */
export const checkFilesPresent: Check = async (context) => [
  ...(await perMember(
    context,
    'files.present',
    (member, sink) => {
      for (const pair of tlsPairs(member)) {
        if (pair.cert && !pair.key)
          sink.fail(`${pair.certKey} is set but ${pair.keyKey} is not`, `set ${pair.keyKey} to the key of ${baseName(pair.cert.path)}`);
        if (pair.key && !pair.cert)
          sink.fail(
            `${pair.keyKey} is set but ${pair.certKey} is not`,
            `set ${pair.certKey} to the certificate of ${baseName(pair.key.path)}`,
          );
      }
      presence(memberFileRefs(member), member.files, sink, "copy {file} to the member's node (the bundle's install.sh does this),");
    },
    (member) => {
      const refs = memberFileRefs(member);
      const names = [...new Set(refs.map((r) => baseName(r.path)))];
      return refs.length === 0 ? 'no TLS file is configured' : `all ${names.length} TLS files exist: ${names.join(', ')}`;
    },
  )),
  ...(await perClient(
    context,
    'files.present',
    (client, sink) => {
      if (client.certFile && !client.keyFile)
        sink.fail('a client certificate is set but no key', 'set ETCDCTL_KEY to the key of the certificate');
      if (client.keyFile && !client.certFile)
        sink.fail('a client key is set but no certificate', 'set ETCDCTL_CERT to the certificate of the key');
      presence(clientFileRefs(client), client.files, sink, 'copy {file} next to the client,');
    },
    (client) => `all ${clientFileRefs(client).length} files exist`,
  )),
];

function pem(refs: readonly FileRef[], files: ReadonlyMap<string, DeployedFile>, sink: FindingSink): void {
  for (const ref of refs) {
    if (files.get(ref.path)?.bytes === undefined) continue;
    if (ref.kind === 'key') {
      const key = readKeyFile(files, ref.path);
      if (key.error) sink.fail(`${assign(ref.key, ref.path)} ${key.error}`, `point ${ref.key} at the PEM private key (…-key.pem)`);
      continue;
    }
    const read = readCertificateFile(files, ref.path);
    if (read.error) {
      sink.fail(
        `${assign(ref.key, ref.path)} ${read.error}`,
        `point ${ref.key} at the PEM ${ref.kind === 'ca' ? 'CA certificate' : 'certificate'}`,
      );
      continue;
    }
    if (ref.kind === 'ca') {
      const leaves = (read.certificates ?? []).filter((c) => !c.isCA);
      if (leaves.length > 0) {
        sink.warn(
          `${assign(ref.key, ref.path)} holds ${leaves.length} certificate(s) that are not CAs`,
          `${ref.key} should hold the CA certificate (ca.pem / rootca.pem), not a member's certificate`,
        );
      }
    }
  }
}

/** files.pem: certificates, keys and CA files are well-formed PEM of the right kind. */
export const checkFilesPem: Check = async (context) => [
  ...(await perMember(
    context,
    'files.pem',
    (member, sink) => pem(memberFileRefs(member), member.files, sink),
    (member) => (memberFileRefs(member).length ? 'every certificate, key and CA file parses' : undefined),
  )),
  ...(await perClient(
    context,
    'files.pem',
    (client, sink) => pem(clientFileRefs(client), client.files, sink),
    (client) => (clientFileRefs(client).length ? 'every certificate, key and CA file parses' : undefined),
  )),
];

/** files.readable: the user etcd runs as can read every TLS file and enter its directories. */
export const checkFilesReadable: Check = (context) =>
  perMember(
    context,
    'files.readable',
    (member, sink) => {
      const user = context.user;
      if (!user || member.accessNote !== undefined) return;
      const blocked = new Map<string, { stat: FileStat; files: string[] }>();
      for (const ref of memberFileRefs(member)) {
        for (const dir of member.files.get(ref.path)?.directories ?? []) {
          if (canSearch(dir.stat, user)) continue;
          const entry = blocked.get(dir.path) ?? { stat: dir.stat, files: [] };
          if (!entry.files.includes(baseName(ref.path))) entry.files.push(baseName(ref.path));
          blocked.set(dir.path, entry);
        }
      }
      for (const [dir, { stat, files }] of blocked) {
        sink.fail(
          `${user.name} (uid ${user.uid}) cannot enter ${dir} (${ownerText(stat, context.accountNames)} ${modeText(stat.mode)}), so cannot open ${files.join(', ')} in it`,
          `chown ${user.name}:${groupName(context, user.gid)} ${dir} (or chmod o+x ${dir})`,
        );
      }
      for (const ref of memberFileRefs(member)) {
        const file = member.files.get(ref.path);
        if (!file?.stat) continue;
        const owner = ownerText(file.stat, context.accountNames);
        if (!canRead(file.stat, user)) {
          sink.fail(
            `${assign(ref.key, ref.path)} is ${owner} ${modeText(file.stat.mode)}; ${user.name} (uid ${user.uid}) cannot read it and etcd will fail with "open ${ref.path}: permission denied"`,
            `chown ${user.name}:${groupName(context, user.gid)} ${ref.path}${ref.kind === 'key' ? ` && chmod 0600 ${ref.path}` : ''}`,
          );
        }
      }
    },
    (member) =>
      member.accessNote !== undefined
        ? `not checked: ${member.accessNote}`
        : context.user
          ? `${context.user.name} (uid ${context.user.uid}) can read all ${new Set(memberFileRefs(member).map((r) => r.path)).size} TLS files`
          : `not checked: ${context.accessNote}`,
  );

function groupName(context: CheckContext, gid: number): string {
  return context.accountNames?.groups.get(gid) ?? String(gid);
}

function keyPermissions(
  context: CheckContext,
  refs: readonly FileRef[],
  files: ReadonlyMap<string, DeployedFile>,
  sink: FindingSink,
): void {
  for (const ref of refs) {
    if (ref.kind !== 'key') continue;
    const stat = files.get(ref.path)?.stat;
    if (!stat) continue;
    const mode = modeText(stat.mode);
    const owner = ownerText(stat, context.accountNames);
    if ((stat.mode & 0o007) !== 0) {
      sink.fail(
        `${assign(ref.key, ref.path)} is ${owner} ${mode}: every local user can ${stat.mode & 0o002 ? 'replace' : 'read'} the private key`,
        `chmod 0600 ${ref.path}`,
      );
    } else if ((stat.mode & 0o020) !== 0) {
      sink.warn(`${assign(ref.key, ref.path)} is ${owner} ${mode}: its group can replace the private key`, `chmod 0600 ${ref.path}`);
    } else if ((stat.mode & 0o040) !== 0 && context.user && stat.gid !== context.user.gid && !context.user.groups.includes(stat.gid)) {
      sink.warn(
        `${assign(ref.key, ref.path)} is ${owner} ${mode}: group ${groupName(context, stat.gid)} can read the private key`,
        `chmod 0600 ${ref.path}`,
      );
    }
  }
}

/** files.key-permissions: private keys are readable by their owner (and at most etcd's group) only. */
export const checkKeyPermissions: Check = async (context) => [
  ...(await perMember(
    context,
    'files.key-permissions',
    (member, sink) => keyPermissions(context, memberFileRefs(member), member.files, sink),
    (member) => keyOk(memberFileRefs(member), member),
  )),
  ...(await perClient(
    context,
    'files.key-permissions',
    (client, sink) => keyPermissions(context, clientFileRefs(client), client.files, sink),
    (client) => keyOk(clientFileRefs(client), client),
  )),
];

function keyOk(refs: readonly FileRef[], subject: DeployedMember | DeployedClient): string | undefined {
  const keys = refs.filter((r) => r.kind === 'key' && subject.files.get(r.path)?.stat);
  return keys.length
    ? `${keys.map((r) => `${baseName(r.path)} ${modeText(subject.files.get(r.path)!.stat!.mode)}`).join(', ')}`
    : undefined;
}

/** files.key-match: every private key belongs to the certificate it is configured with. */
export const checkKeyMatch: Check = async (context) => [
  ...(await perMember(
    context,
    'files.key-match',
    (member, sink) => {
      for (const pair of tlsPairs(member)) {
        const leaf = pair.cert?.certificates?.[0];
        const key = pair.key?.key;
        if (!leaf || !key || !pair.cert || !pair.key) continue;
        if (!publicKeyMatches(leaf, key.publicKey)) {
          sink.fail(
            `${assign(pair.keyKey, pair.key.path)} is not the key of ${assign(pair.certKey, pair.cert.path)}; etcd will fail with "tls: private key does not match public key"`,
            `set ${pair.keyKey} to the key issued with ${baseName(pair.cert.path)} (${baseName(pair.cert.path).replace(/\.pem$/, '-key.pem')})`,
          );
        }
      }
    },
    (member) => {
      const pairs = tlsPairs(member).filter((p) => p.cert?.certificates && p.key?.key);
      return pairs.length ? pairs.map((p) => `${baseName(p.key!.path)} belongs to ${baseName(p.cert!.path)}`).join('; ') : undefined;
    },
  )),
  ...(await perClient(
    context,
    'files.key-match',
    (client, sink) => {
      const leaf = client.certFile ? readCertificateFile(client.files, client.certFile).certificates?.[0] : undefined;
      const key = client.keyFile ? readKeyFile(client.files, client.keyFile).key : undefined;
      if (leaf && key && !publicKeyMatches(leaf, key.publicKey)) {
        sink.fail(
          `${client.keyFile} is not the key of ${client.certFile}`,
          `set ETCDCTL_KEY to the key issued with ${baseName(client.certFile!)}`,
        );
      }
    },
    (client) => (client.certFile && client.keyFile ? `${baseName(client.keyFile)} belongs to ${baseName(client.certFile)}` : undefined),
  )),
];
