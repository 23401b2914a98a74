import { basename } from 'node:path';
import { PkiError } from '../errors.js';
import type { DoctorOptions } from '../doctor/doctor.js';
import * as access from '../doctor/access.js';
import * as deploy from '../doctor/deploy.js';
import type { ClientWithFiles, MemberWithFiles } from '../doctor/deploy.js';
import { parseEtcdCommandLine } from '../etcd-config/command-line.js';
import { memberConfigFromSettings, parseConfigFile } from '../etcd-config/member-config.js';
import * as model from '../etcd-config/model.js';
import type { DeployedFile } from '../etcd-config/model.js';
import { parseEtcdYaml } from '../etcd-config/yaml-config.js';
import { probeEndpoint } from '../net/endpoint-probe.js';
import { readInput, readTextInput } from '../io/input.js';
import type { CliContext } from './context.js';
import { mapPath, readAccounts, readBundleDirectory, readDeployedFile } from './doctor-files.js';

/** What `doctor` was asked to check, as given on its command line. */
export interface DoctorRequest {
  readonly bundle: string | undefined;
  /** `-conf` files, then the etcd command line, in order. */
  readonly configs: ReadonlyArray<{ readonly file: string } | { readonly argv: readonly string[] }>;
  readonly roots: readonly string[];
  readonly user: string;
  /** `-user` was given (an unknown user is then an error, not a skipped check). */
  readonly userExplicit: boolean;
  readonly endpoints: readonly string[];
  readonly cacert: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
}

/**
 * Reads from disk (and the network, for -endpoint) everything the doctor library checks: the
 * bundle's files, each configuration and the files it names (mapped under -root), the user etcd
 * runs as, and the endpoint probes.
 * @throws PkiError IO for a configuration that cannot be read, USAGE for an unknown -user.
 */
export async function gatherDoctorInput(context: CliContext, request: DoctorRequest): Promise<Omit<DoctorOptions, 'warnDays'>> {
  const readFiles = async (paths: readonly string[], root: string | undefined) => {
    const files = new Map<string, DeployedFile>();
    for (const path of paths) files.set(path, await readDeployedFile(path, root));
    return files;
  };

  const members: MemberWithFiles[] = [];
  const clients: ClientWithFiles[] = [];
  for (const [index, config] of request.configs.entries()) {
    const root = request.roots.length === 1 ? request.roots[0] : request.roots[index];
    if ('file' in config) {
      const parsed = parseConfigFile(await readTextInput(config.file, context.stdin, 'etcdConfig'), config.file, {
        clientName: basename(config.file).replace(/\.env$/, ''),
      });
      if (parsed.kind === 'member')
        members.push({ config: parsed.config, files: await readFiles(model.memberFilePaths(parsed.config), root) });
      else clients.push({ config: parsed.config, files: await readFiles(model.clientFilePaths(parsed.config), root) });
      continue;
    }
    let settings = parseEtcdCommandLine(config.argv);
    const configFile = settings.values.get('config-file')?.value;
    if (configFile !== undefined) {
      // etcd reads only the config file then ("Other configuration command line flags and environment variables will be ignored").
      settings = parseEtcdYaml(await readTextInput(mapPath(configFile, root), context.stdin, 'etcdConfig'), configFile);
    }
    const member = memberConfigFromSettings(settings);
    members.push({ config: member, files: await readFiles(model.memberFilePaths(member), root) });
  }

  const deployed = deploy.deployMembers(members);
  const deployedClients = deploy.deployClients(clients);
  if (request.bundle !== undefined) {
    const files = await readBundleDirectory(context, request.bundle);
    if (files.size === 0)
      throw new PkiError('IO', 'no bundle here (the directory is empty or missing)', {
        file: request.bundle,
        hint: 'point -bundle at the directory cluster-bundle wrote',
      });
    const owner = ownerFromManifest(files.get('manifest.json')?.bytes);
    const bundle = deploy.bundleInput(files, request.bundle, owner);
    if (bundle.members.length === 0 && bundle.clients.length === 0) {
      throw new PkiError('IO', 'no member or client directory found (no <name>/etcd.conf or <name>/<name>.env)', {
        file: request.bundle,
        hint: 'point -bundle at the directory cluster-bundle wrote',
      });
    }
    deployed.push(...bundle.members);
    deployedClients.push(...bundle.clients);
  }

  const checksAccess = deployed.some((m) => m.accessNote === undefined);
  const accounts = await readAccounts(request.roots.length === 1 ? request.roots[0] : undefined);
  const accountNames = access.accountNames(accounts.passwd, accounts.group);
  let user: DoctorOptions['user'];
  let accessNote: string | undefined;
  if (checksAccess) {
    user = access.lookupUser(request.user, accounts.passwd, accounts.group);
    if (!user) {
      if (request.userExplicit)
        throw new PkiError('USAGE', `there is no user ${JSON.stringify(request.user)} in /etc/passwd`, {
          hint: 'give the user etcd runs as (User= in its systemd unit) with -user',
        });
      accessNote = `there is no user "${request.user}" here; give the user etcd runs as with -user`;
    }
  }

  const endpoints = [];
  if (request.endpoints.length > 0) {
    const [ca, cert, key] = await Promise.all(
      (
        [
          [request.cacert, 'certificate'],
          [request.cert, 'certificate'],
          [request.key, 'key'],
        ] as const
      ).map(([path, kind]) => (path === undefined ? undefined : readInput(path, context.stdin, kind))),
    );
    for (const url of request.endpoints) endpoints.push(await probeEndpoint({ url, ca, cert, key }));
  }

  return {
    members: deploy.uniqueLabels(deployed),
    clients: deploy.uniqueLabels(deployedClients),
    endpoints,
    user,
    ...(accessNote !== undefined ? { accessNote } : {}),
    accountNames,
    ...(request.bundle !== undefined ? { complete: true } : {}),
  };
}

function ownerFromManifest(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes) return undefined;
  try {
    const owner = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { cluster?: { owner?: unknown } }).cluster?.owner;
    return typeof owner === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}
