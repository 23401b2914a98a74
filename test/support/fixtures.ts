import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's fixtures/ folder. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** A fixture's text, e.g. fixture('seed/ca-config.json'). */
export function fixture(path: string): string {
  return readFileSync(FIXTURES + path, 'utf8');
}

/** A fixture's bytes (DER keys). */
export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURES + path));
}

/** The absolute path of a fixture, for real tools. */
export function fixturePath(path: string): string {
  return FIXTURES + path;
}

/** File names in a fixtures folder, sorted. */
export function fixtureNames(folder: string): string[] {
  return readdirSync(FIXTURES + folder).sort();
}

/** The walkthrough's leaf certificates (fixtures/seed, fixtures/cfssl) and the profile of each. */
export const WALKTHROUGH_LEAVES: ReadonlyArray<{ readonly name: string; readonly profile: 'server' | 'client' | 'peer' }> = [
  { name: 'etcd1', profile: 'server' },
  { name: 'etcd2', profile: 'server' },
  { name: 'etcd3', profile: 'server' },
  { name: 'etcd4', profile: 'server' },
  { name: 'etcd', profile: 'server' },
  { name: 'etcdctl', profile: 'client' },
  { name: 'etcd1-peer', profile: 'peer' },
  { name: 'etcd2-peer', profile: 'peer' },
  { name: 'etcd3-peer', profile: 'peer' },
  { name: 'etcd4-peer', profile: 'peer' },
];
