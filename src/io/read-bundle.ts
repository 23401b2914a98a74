import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mapConcurrent } from '../bundle/concurrency.js';
import { ioError, readInput, type StdinReader } from './input.js';

/** Files read at once: enough to overlap the disk, few enough to stay under the open-file limit. */
const READ_CONCURRENCY = 64;

/**
 * The files of an existing bundle directory by relative path (`ca/ca.pem`, `etcd1/etcd.conf`):
 * regular files at its top level and one level down, chosen by `wanted`. Hidden files (locks,
 * temp files) and symbolic links are skipped. A missing directory is an empty bundle.
 * @throws PkiError IO naming the file that could not be read.
 */
export async function readBundleFiles(
  stdin: StdinReader,
  dir: string,
  wanted: (path: string) => boolean,
): Promise<Map<string, Uint8Array>> {
  const paths: string[] = [];
  const list = (relative: string) => {
    try {
      return readdirSync(join(dir, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && relative === '') return [];
      throw ioError(error, join(dir, relative), 'read the directory');
    }
  };
  for (const entry of list('')) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isFile() && wanted(entry.name)) paths.push(entry.name);
    if (!entry.isDirectory()) continue;
    for (const inner of list(entry.name)) {
      const path = `${entry.name}/${inner.name}`;
      if (!inner.name.startsWith('.') && inner.isFile() && wanted(path)) paths.push(path);
    }
  }
  const contents = await mapConcurrent(paths, READ_CONCURRENCY, (path) =>
    readInput(join(dir, ...path.split('/')), stdin, path === 'manifest.json' ? 'manifest' : 'bundleFile'),
  );
  return new Map(paths.map((path, index) => [path, contents[index]!]));
}
