import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { DeployedFile, FileStat } from '../etcd-config/model.js';
import type { BundleFile } from '../doctor/deploy.js';
import { INPUT_LIMITS, readInput, type StdinReader } from '../io/input.js';
import { readBundleFiles } from '../io/read-bundle.js';
import { PkiError } from '../errors.js';
import type { CliContext } from './context.js';

/** Where a configured path is on this machine: under `root` when given (`-root`), else as is. */
export function mapPath(path: string, root: string | undefined): string {
  if (root === undefined) return path;
  return isAbsolute(path) ? join(root, path) : path;
}

const statOf = (s: { mode: number; uid: number; gid: number }): FileStat => ({ mode: s.mode, uid: s.uid, gid: s.gid });

// Paths named by a configuration are files, never standard input.
const noStdin: StdinReader = () => Promise.resolve(new Uint8Array());

const REASONS: Record<string, string> = {
  ENOENT: 'missing',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'is a symbolic link loop',
};

/**
 * A file a configuration names, as etcd would open it: its bytes and stat data (following
 * symbolic links, as etcd does), and the stat data of each directory above it, for the
 * search-permission check. Never throws: what went wrong is in `error`.
 */
export async function readDeployedFile(path: string, root: string | undefined): Promise<DeployedFile> {
  const location = mapPath(path, root);
  const directories: Array<{ path: string; stat: FileStat }> = [];
  if (isAbsolute(path)) {
    const parts = path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const nodeDir = `/${parts.slice(0, i).join('/')}`;
      const dirStat = await stat(mapPath(nodeDir, root)).catch(() => undefined);
      if (dirStat) directories.push({ path: nodeDir, stat: statOf(dirStat) });
    }
  }
  try {
    const info = await stat(location);
    if (!info.isFile()) return { path, location, stat: statOf(info), error: REASONS.EISDIR, directories };
    if (info.size > INPUT_LIMITS.bundleFile.bytes)
      return { path, location, stat: statOf(info), error: 'is too large for a certificate or key', directories };
    const bytes = await readInput(location === '-' ? './-' : location, noStdin, 'bundleFile');
    return { path, location, bytes, stat: statOf(info), directories };
  } catch (error) {
    const cause = error instanceof PkiError ? error.cause : error;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? '';
    const info = await stat(location).catch(() => undefined);
    return { path, location, ...(info ? { stat: statOf(info) } : {}), error: REASONS[code] ?? (error as Error).message, directories };
  }
}

/** Every file of a bundle directory with its stat data, by relative path. */
export async function readBundleDirectory(context: CliContext, dir: string): Promise<Map<string, BundleFile>> {
  const bytes = await readBundleFiles(context.stdin, dir, () => true);
  const out = new Map<string, BundleFile>();
  for (const [path, data] of bytes) {
    const info = await stat(join(dir, ...path.split('/'))).catch(() => undefined);
    out.set(path, { bytes: data, stat: info ? statOf(info) : undefined });
  }
  return out;
}

/**
 * passwd(5) and group(5) of the machine the files are for: under `root` when it has them (a copy
 * of a node's /etc), else this machine's.
 */
export async function readAccounts(root: string | undefined): Promise<{ passwd: string; group: string }> {
  const read = async (file: string) => {
    const text = (path: string) => readInput(path, noStdin, 'accounts').then((bytes) => Buffer.from(bytes).toString('utf8'));
    if (root !== undefined) {
      const copied = await text(join(root, file)).catch(() => undefined);
      if (copied !== undefined) return copied;
    }
    return text(file).catch(() => '');
  };
  return { passwd: await read('/etc/passwd'), group: await read('/etc/group') };
}
