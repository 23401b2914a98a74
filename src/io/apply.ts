import { lstatSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PkiError } from '../errors.js';
import type { FileSet, PlannedFile } from '../fileset.js';
import { ioError, type StdinReader } from './input.js';
import { lockDirectory } from './lock.js';
import { readBundleFiles } from './read-bundle.js';
import { stageNewDirectory, type StagedDirectory } from './staging.js';
import { assertWritableDirectory, writeFileSet, type WriteReport } from './write-files.js';

/** What a run gives the apply path: stdin for reads, and what main's signal handler cleans up. */
export interface ApplyRun {
  readonly stdin: StdinReader;
  /** Temp files being written, removed by main's signal handler. */
  readonly inFlight: Set<string>;
  /** Staged directories being filled, removed whole by main's signal handler. */
  readonly inFlightDirs?: Set<string> | undefined;
  /** Aborted by main on SIGINT/SIGTERM: the write stops and leaves the directory as it was. */
  readonly signal?: AbortSignal | undefined;
}

/** A plan the apply path writes: files to write and, optionally, files to remove after them. */
export interface BundlePlan extends FileSet {
  /** Relative paths to delete once every file is written (moved elsewhere by the same plan). */
  readonly removals?: readonly string[];
}

export interface ApplyToBundleOptions<P extends BundlePlan> {
  readonly run: ApplyRun;
  /** The bundle directory. */
  readonly out: string;
  /**
   * `create`: the directory may not exist yet; a new one is written beside its place and moved
   * there whole (a failed or killed first run leaves nothing). `update`: it must be a bundle
   * already (have a manifest.json); `missingHint` says what to do when it is not.
   */
  readonly mode: 'create' | 'update';
  readonly missingHint?: string;
  /** Which of the bundle's existing files the plan needs (relative paths). */
  readonly read: (path: string) => boolean;
  /** Plans from the existing files, read under the directory's lock. */
  readonly plan: (existing: ReadonlyMap<string, Uint8Array>) => Promise<P>;
  /** Replace existing private keys the plan lists. Default false. */
  readonly force?: boolean;
  /** Remove temp files an earlier, killed run left (safe: the lock is held). Default false. */
  readonly removeStaleTemps?: boolean;
  /** Called before the write starts, with the number of files (progress). */
  readonly onWriteStart?: (count: number) => void;
  /** Called once per file written. */
  readonly onFile?: (file: PlannedFile) => void;
}

export interface ApplyResult<P> {
  readonly plan: P;
  readonly report: WriteReport;
  /** Paths the plan asked to remove that were removed (missing ones are skipped). */
  readonly removed: readonly string[];
}

/**
 * The one way a command changes a bundle directory: take its lock, read what the plan needs,
 * plan, write the files atomically (keys 0600 from open, keys before certificates), remove what
 * the plan moved elsewhere, and move a new directory into place (or abandon it on failure). A
 * second run meanwhile fails LOCKED; SIGINT/SIGTERM leave the directory as it was.
 * @throws PkiError from the plan, LOCKED, IO, INTERRUPTED.
 */
export async function applyToBundle<P extends BundlePlan>(options: ApplyToBundleOptions<P>): Promise<ApplyResult<P>> {
  const { run, out } = options;
  let staged: StagedDirectory | undefined;
  if (options.mode === 'create') {
    await assertWritableDirectory(out, run.inFlight);
    // Over an existing bundle each file is replaced atomically instead (keys first).
    if (!isDirectory(out)) staged = await stageNewDirectory(out, run.inFlightDirs);
  } else {
    await assertBundle(out, options.missingHint);
  }
  const target = staged?.path ?? out;
  const lock = await lockDirectory(target);
  let failed = true;
  try {
    const existing = await readBundleFiles(run.stdin, target, options.read);
    const plan = await options.plan(existing);
    options.onWriteStart?.(plan.files.length);
    const report = await writeFileSet(target, plan, {
      staged: staged !== undefined,
      removeStaleTemps: options.removeStaleTemps ?? false,
      force: options.force ?? false,
      inFlight: run.inFlight,
      signal: run.signal,
      ...(options.onFile ? { onFile: options.onFile } : {}),
    });
    const removed = await removeFiles(target, plan.removals ?? []);
    if (staged) {
      await lock.release();
      await staged.commit();
    }
    failed = false;
    return { plan, report, removed };
  } finally {
    await lock.release();
    if (failed) await staged?.abandon();
  }
}

/** The bundle directory exists and has a manifest.json (the lock is not taken in a wrong directory). */
export async function assertBundle(out: string, hint = 'point -out at the directory cluster-bundle wrote'): Promise<void> {
  if (!exists(join(out, 'manifest.json'))) throw new PkiError('IO', 'there is no bundle here (no manifest.json)', { file: out, hint });
}

/**
 * Deletes files a plan moved elsewhere (written first, in the same run, under the same lock);
 * missing ones are skipped. The only delete etcd-pki does.
 */
async function removeFiles(out: string, paths: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const path of paths) {
    const ok = await unlink(join(out, ...path.split('/'))).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw ioError(error, join(out, path), 'remove');
      },
    );
    if (ok) removed.push(path);
  }
  return removed;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
