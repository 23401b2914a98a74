import type { PlannedFile } from '../fileset.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE } from '../fileset.js';

/** What cfssl prints: the keys cfssljson turns into files. */
export interface CfsslOutput {
  cert?: string | undefined;
  csr?: string | undefined;
  key?: string | undefined;
  bundle?: string | undefined;
}

/**
 * cfssljson's file names for base name `base`: `base.pem`, `base-key.pem` (0600), `base.csr`,
 * `base-bundle.pem`. Empty or absent fields write nothing.
 */
export function cfssljsonFiles(base: string, output: CfsslOutput): PlannedFile[] {
  const files: PlannedFile[] = [];
  if (output.key) files.push({ path: `${base}-key.pem`, contents: output.key, mode: SECRET_FILE_MODE, secret: true });
  if (output.cert) files.push({ path: `${base}.pem`, contents: output.cert, mode: PUBLIC_FILE_MODE, secret: false });
  if (output.csr) files.push({ path: `${base}.csr`, contents: output.csr, mode: PUBLIC_FILE_MODE, secret: false });
  if (output.bundle) files.push({ path: `${base}-bundle.pem`, contents: output.bundle, mode: PUBLIC_FILE_MODE, secret: false });
  return files;
}
