import type { Worker } from 'node:worker_threads';

/** One new file for the worker: where, what, and its final mode. */
export interface WorkerWrite {
  readonly path: string;
  readonly contents: string | Uint8Array;
  readonly mode: number;
}

/** A write the worker could not make: the file and the system's error code and message. */
export interface WorkerWriteError {
  readonly path: string;
  readonly code: string | undefined;
  readonly message: string;
}

/** Files being written on another thread; `done` settles when all are written or one failed. */
export interface WorkerWrites {
  readonly done: Promise<WorkerWriteError | undefined>;
  /** Stops the worker (a signal, or the other half failed); resolves once it can write no more. */
  stop(): Promise<void>;
}

/**
 * Writes `files` on a worker thread, so that a bulk bundle's new files are written by both cores:
 * creating and filling 13,000 files is about half of a 1,000-member bundle's wall time on ext4,
 * and the main thread writes the other half meanwhile. `flags` are open(2)'s (O_CREAT | O_EXCL |
 * O_NOFOLLOW | O_WRONLY); `umask` as processUmask() reads it. The directories must exist.
 */
export async function writeOnWorker(files: readonly WorkerWrite[], flags: number, umask: number | undefined): Promise<WorkerWrites> {
  const { Worker } = await import('node:worker_threads');
  // write-worker.js beside this file (beside the CLI bundle once bundled); resolved here, not at
  // load, so that a command that writes no bulk files never resolves import.meta.url.
  const worker: Worker = new Worker(new URL('./write-worker.js', import.meta.url), { workerData: { files, flags, umask } });
  const done = new Promise<WorkerWriteError | undefined>((resolve, reject) => {
    worker.once('message', (failure: WorkerWriteError | null) => resolve(failure ?? undefined));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      resolve(
        code === 0 ? undefined : { path: files[0]?.path ?? '', code: undefined, message: `the writing thread stopped (exit ${code})` },
      ),
    );
  });
  return {
    done,
    stop: async () => {
      await worker.terminate();
    },
  };
}
