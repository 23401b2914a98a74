/**
 * Where a CA rotation keeps its state and CAs in the bundle, beside the layout of layout.ts. All
 * stay in `ca/` (never copied to a node) or at the top level, one level deep as the bundle is read.
 */
export const ROTATION_FILES = {
  /** The rotation's state: which phase was written, when, with which files, on what evidence. */
  state: 'rotation.json',
  /** Phase 1 to 2: the new CA, trusted but not yet issuing. */
  newCaCertificate: 'ca/new-ca.pem',
  newCaKey: 'ca/new-ca-key.pem',
  /** Phase 2 to 3: the previous CA, no longer issuing but still trusted. */
  oldCaCertificate: 'ca/old-ca.pem',
  oldCaKey: 'ca/old-ca-key.pem',
} as const;

export const ROTATION_FILE_PREFIXES = {
  /** After phase 3: a CA nothing trusts any more, kept (with its key) until the operator disposes of it. */
  retired: ['ca/retired-'],
} as const;

/** `ca/retired-20261125T120000Z-ca.pem` and its key, for a CA retired at `at`. */
export function retiredCaPaths(at: Date): { certificate: string; key: string } {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return { certificate: `ca/retired-${stamp}-ca.pem`, key: `ca/retired-${stamp}-ca-key.pem` };
}
