import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './cli.js';

/** cfssl 1.6.5's `cfssl` and `cfssljson`, the reference of the interop tests. */
export interface CfsslTools {
  readonly cfssl: string;
  readonly cfssljson: string;
}

/**
 * Finds cfssl 1.6.5: `$ETCD_PKI_CFSSL_DIR`, else `shared/tools/cfssl-1.6.5/` beside the checkout
 * or any folder above it (a git worktree sits deeper than the main checkout). Undefined when
 * absent; the interop suites then fail with where to put it, rather than pass without it.
 */
export function findCfssl165(): CfsslTools | undefined {
  const candidates: string[] = [];
  if (process.env.ETCD_PKI_CFSSL_DIR) candidates.push(process.env.ETCD_PKI_CFSSL_DIR);
  for (let dir = REPO; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'shared', 'tools', 'cfssl-1.6.5'), join(dir, '..', 'shared', 'tools', 'cfssl-1.6.5'));
    if (dirname(dir) === dir) break;
  }
  for (const dir of candidates) {
    const tools = { cfssl: join(dir, 'cfssl'), cfssljson: join(dir, 'cfssljson') };
    if (existsSync(tools.cfssl) && existsSync(tools.cfssljson)) return tools;
  }
  return undefined;
}

/** The same, or an error saying where the binaries go. */
export function requireCfssl165(): CfsslTools {
  const tools = findCfssl165();
  if (!tools) {
    throw new Error(
      'cfssl 1.6.5 not found: set ETCD_PKI_CFSSL_DIR to the folder holding its cfssl and cfssljson (see shared/tools/cfssl-1.6.5/README.md)',
    );
  }
  const version = spawnSync(tools.cfssl, ['version'], { encoding: 'utf8' }).stdout ?? '';
  if (!version.includes('1.6.5')) throw new Error(`${tools.cfssl} is not cfssl 1.6.5: ${version}`);
  return tools;
}

/** Debian's cfssl 1.2 (`cfssl` on PATH), the second reference, when installed. */
export function debianCfsslInstalled(): boolean {
  const result = spawnSync('cfssl', ['version'], { encoding: 'utf8' });
  return result.status === 0 && /Version: 1\.2/.test(result.stdout);
}
