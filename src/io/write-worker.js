// @ts-check
// The bulk writer's thread (io/worker-writes.ts starts it): does for each file what writeNewFile
// in write-files.ts does: create it (never through a link, never over an existing file) with its
// final mode, fchmod when the umask would narrow it, write every byte, close. Stops at the first
// failure and reports it. Plain JavaScript: the file is loaded as it is, from src/ in the tests
// and from dist/ (tsc copies it; the build puts one beside the CLI bundle) when installed.
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/** @typedef {{ path: string, contents: string | Uint8Array, mode: number }} WorkerWrite */
/** @type {{ files: WorkerWrite[], flags: number, umask: number | undefined }} */
const { files, flags, umask } = workerData;

/** @type {{ path: string, code: string | undefined, message: string } | undefined} */
let failed;
for (const file of files) {
  /** @type {number | undefined} */
  let fd;
  try {
    fd = openSync(file.path, flags, file.mode);
    if (umask === undefined || (file.mode & umask) !== 0) fchmodSync(fd, file.mode);
    const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents) : file.contents;
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    const { code, message } = /** @type {NodeJS.ErrnoException} */ (error);
    failed = { path: file.path, code, message };
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // the write's own error is the one to report
      }
    }
  }
  if (failed) break;
}
parentPort?.postMessage(failed ?? null);
