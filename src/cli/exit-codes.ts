import type { ErrorCode } from '../errors.js';

/**
 * Exit statuses, documented in docs/cfssl-compatibility.md: 0 success; 1 invalid input or policy; 2 usage;
 * 3 refused to overwrite a key; 4 I/O; 5 output directory locked; 6 a check found a problem
 * (doctor, check-expiration); 70 internal error; 130 SIGINT; 143 SIGTERM.
 */
export const EXIT = {
  ok: 0,
  input: 1,
  usage: 2,
  exists: 3,
  io: 4,
  locked: 5,
  checkFailed: 6,
  internal: 70,
  interrupted: 130,
  terminated: 143,
} as const;

/**
 * Each error code's exit status and cfssl's numeric code (category * 1000 + reason, as in
 * cfssl's errors package) for `--json-errors`.
 */
export const ERROR_TABLE: Record<ErrorCode, { exit: number; cfssl: number }> = {
  INVALID_JSON: { exit: EXIT.input, cfssl: 9002 },
  INVALID_CONFIG: { exit: EXIT.input, cfssl: 5200 },
  INVALID_REQUEST: { exit: EXIT.input, cfssl: 9003 },
  INVALID_DURATION: { exit: EXIT.input, cfssl: 5200 },
  INVALID_HOST: { exit: EXIT.input, cfssl: 9003 },
  UNKNOWN_USAGE: { exit: EXIT.input, cfssl: 5200 },
  PROFILE_UNKNOWN: { exit: EXIT.input, cfssl: 5400 },
  POLICY_VIOLATION: { exit: EXIT.input, cfssl: 5300 },
  KEY_TOO_WEAK: { exit: EXIT.input, cfssl: 2400 },
  KEY_UNSUPPORTED: { exit: EXIT.input, cfssl: 2400 },
  KEY_MISMATCH: { exit: EXIT.input, cfssl: 2500 },
  KEY_ENCRYPTED: { exit: EXIT.input, cfssl: 2300 },
  INVALID_PEM: { exit: EXIT.input, cfssl: 1002 },
  INVALID_CERTIFICATE: { exit: EXIT.input, cfssl: 1003 },
  INVALID_CSR: { exit: EXIT.input, cfssl: 9003 },
  BAD_SIGNATURE: { exit: EXIT.input, cfssl: 9200 },
  UNSUPPORTED: { exit: EXIT.input, cfssl: 5200 },
  USAGE: { exit: EXIT.usage, cfssl: 7000 },
  IO: { exit: EXIT.io, cfssl: 1001 },
  FILE_EXISTS: { exit: EXIT.exists, cfssl: 1001 },
  UNSAFE_PATH: { exit: EXIT.input, cfssl: 1001 },
  LOCKED: { exit: EXIT.locked, cfssl: 1001 },
  INVALID_CLUSTER: { exit: EXIT.input, cfssl: 5200 },
  INTERRUPTED: { exit: EXIT.interrupted, cfssl: 1001 },
  CHECK_FAILED: { exit: EXIT.checkFailed, cfssl: 5200 },
};
