import { PkiError } from '../errors.js';
import { PUBLIC_FILE_MODE, type PlannedFile } from '../fileset.js';
import { parseJsonStrict } from '../json.js';
import type { ParsedCertificate } from '../x509/parse.js';
import { rfc3339 } from '../x509/time.js';
import { certificateFacts } from './certificate-facts.js';
import { ROTATION_FILES } from './rotation-files.js';

/** The value of rotation.json's `format`. */
export const ROTATION_FORMAT = 'etcd-pki ca rotation 1';

/** The three phases of a CA rotation: trust both, issue from the new, trust only the new. */
export const ROTATION_PHASES = [1, 2, 3] as const;
export type RotationPhase = (typeof ROTATION_PHASES)[number];

/** A CA as rotation.json records it. */
export interface RotationCa {
  readonly commonName: string;
  /** `openssl x509 -serial` form. */
  readonly serial: string;
  /** SHA-256, `AB:CD:...`. */
  readonly fingerprint: string;
  /** RFC 3339. */
  readonly notAfter: string;
}

/** How the previous phase was known to be deployed when a phase was written. */
export interface DeploymentRecord {
  /** `verified`: every member's client and peer port showed it; `assumed`: the operator said so (--assume-deployed). */
  readonly how: 'verified' | 'assumed';
  /** The endpoints probed, for `verified`. */
  readonly endpoints: readonly string[];
}

/** One phase, written. */
export interface RotationPhaseRecord {
  readonly phase: RotationPhase;
  /** RFC 3339. */
  readonly writtenAt: string;
  /** How the previous phase's deployment was established before this one was written (absent for a first phase 1). */
  readonly previousDeployed?: DeploymentRecord;
}

/** A finished rotation, kept in the next one's state. */
export interface CompletedRotation {
  readonly oldCa: RotationCa;
  readonly newCa: RotationCa;
  readonly phases: readonly RotationPhaseRecord[];
  readonly retired?: RotationState['retired'];
  /** When the rotation was abandoned before phase 3 (rotate-ca abort), RFC 3339. */
  readonly aborted?: string;
}

/** OUT/rotation.json: the CA rotation of a bundle, phase by phase. */
export interface RotationState {
  readonly format: typeof ROTATION_FORMAT;
  readonly oldCa: RotationCa;
  readonly newCa: RotationCa;
  /** The phases written so far, in order. */
  readonly phases: readonly RotationPhaseRecord[];
  /** After phase 3: where the old CA certificate and key were archived (paths in the bundle). */
  readonly retired?: { readonly certificate: string; readonly key?: string };
  /** Earlier rotations of this bundle, oldest first. */
  readonly history?: readonly CompletedRotation[];
}

/** The last phase written, 0 before any. */
export function lastPhase(state: RotationState | undefined): 0 | RotationPhase {
  return state?.phases.at(-1)?.phase ?? 0;
}

/** A rotation is in progress from phase 1 until phase 3 is written: the bundle's trust files then differ from ca/ca.pem. */
export function rotationInProgress(state: RotationState | undefined): boolean {
  const phase = lastPhase(state);
  return phase === 1 || phase === 2;
}

export function rotationCa(certificate: ParsedCertificate): RotationCa {
  const facts = certificateFacts(certificate);
  return { commonName: facts.commonName, serial: facts.serial, fingerprint: facts.fingerprint, notAfter: rfc3339(facts.notAfter) };
}

/**
 * Reads rotation.json, checking its shape: it decides what the next phase may do, so a damaged
 * one stops the rotation rather than being guessed at.
 * @throws PkiError INVALID_JSON naming rotation.json and the path of the first problem.
 */
export function readRotationState(bytes: Uint8Array, file: string = ROTATION_FILES.state): RotationState {
  const json = parseJsonStrict(Buffer.from(bytes).toString('utf8'), file);
  const fail = (path: string, what: string) =>
    new PkiError('INVALID_JSON', `rotation.json ${what}`, {
      file,
      path,
      hint: 'restore it from a backup; etcd-pki rotate-ca status says which phase the files are in',
    });
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(json) || json.format !== ROTATION_FORMAT)
    throw fail('/format', `is not an etcd-pki CA rotation (expected "format": "${ROTATION_FORMAT}")`);
  const checkCa = (value: unknown, path: string) => {
    if (!isObject(value) || !['commonName', 'serial', 'fingerprint', 'notAfter'].every((k) => typeof value[k] === 'string')) {
      throw fail(path, 'has no complete CA record (commonName, serial, fingerprint, notAfter)');
    }
  };
  const checkPhases = (value: unknown, path: string) => {
    if (!Array.isArray(value)) throw fail(path, 'has no phase list');
    value.forEach((record: unknown, index) => {
      if (!isObject(record) || record.phase !== index + 1 || typeof record.writtenAt !== 'string') {
        throw fail(`${path}/${index}`, `lists phase ${index + 1} wrongly (phases are written 1, 2, 3 in order)`);
      }
    });
    if (value.length > 3) throw fail(path, 'lists more than three phases');
  };
  checkCa(json.oldCa, '/oldCa');
  checkCa(json.newCa, '/newCa');
  checkPhases(json.phases, '/phases');
  if (json.history !== undefined && !Array.isArray(json.history)) throw fail('/history', 'has a history that is not a list');
  return json as unknown as RotationState;
}

/** The bundle's rotation.json, read; undefined when it has none. */
export function rotationStateOf(files: ReadonlyMap<string, Uint8Array>): RotationState | undefined {
  const bytes = files.get(ROTATION_FILES.state);
  return bytes === undefined ? undefined : readRotationState(bytes);
}

/**
 * For cluster-bundle and add-member, which write ca/ca.pem into every member's and client's
 * ca.pem: refuses while a CA rotation is between phase 1 and phase 3, when that would take a CA
 * out of the trust files under a running cluster.
 * @throws PkiError INVALID_CLUSTER naming rotation.json.
 */
export function assertNoRotationInProgress(files: ReadonlyMap<string, Uint8Array>): void {
  const state = rotationStateOf(files);
  if (!rotationInProgress(state)) return;
  const phase = lastPhase(state);
  throw new PkiError('INVALID_CLUSTER', `a CA rotation is in progress (phase ${phase} of 3 written): the ca.pem files hold two CAs`, {
    file: ROTATION_FILES.state,
    hint: `finish it first (etcd-pki rotate-ca -phase ${phase + 1}); see etcd-pki rotate-ca status`,
  });
}

/** rotation.json as written: two-space JSON and a final newline. */
export function rotationStateFile(state: RotationState): PlannedFile {
  return { path: ROTATION_FILES.state, contents: JSON.stringify(state, null, 2) + '\n', mode: PUBLIC_FILE_MODE, secret: false };
}
