// Issue 16, items 11 and 13: the fixes doctor prints agree with how etcd 3.4 behaves (it reads a
// certificate and key at every TLS handshake: renewing and installing the files is the fix, with
// no restart), and its sentences are grammatical.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SERVER_USAGES,
  bundleAuthority,
  copyBundle,
  doctorBundle,
  expectFail,
  getEnv,
  issue,
  makeBundle,
  put,
  setEnv,
  type BundleFiles,
} from './support.js';

const day = 86_400_000;
let clean: BundleFiles;
beforeAll(async () => {
  clean = await makeBundle();
});

describe('doctor fixes for a certificate that expired (issue 16, items 11 and 13)', () => {
  it('says etcd-pki renew for the member, and install without restart; not "remove it from the bundle"', async () => {
    const files = copyBundle(clean);
    const { cert, key } = await issue({
      ca: bundleAuthority(files),
      cn: 'etcd1',
      hosts: ['192.168.0.91', '127.0.0.1'],
      usages: SERVER_USAGES,
      now: new Date(Date.now() - 2 * day),
      expiry: '24h',
    });
    put(files, 'etcd1/etcd1.pem', cert);
    put(files, 'etcd1/etcd1-key.pem', key, 0o600);
    const [finding] = expectFail(await doctorBundle(files), 'time.expired', 'etcd1');
    expect(finding!.fix).toContain('etcd-pki renew -out BUNDLE -member etcd1');
    expect(finding!.fix).toContain('no restart');
    expect(finding!.fix).not.toContain('remove it from the bundle');
    expect(finding!.fix).not.toMatch(/then restart/);
  });
});

describe('doctor grammar (issue 16, item 13)', () => {
  it('says "etcd3 lists" for one member, "etcd2, etcd3 list" for several', async () => {
    const files = copyBundle(clean);
    const cluster = getEnv(files, 'etcd1', 'ETCD_INITIAL_CLUSTER');
    setEnv(files, 'etcd1', 'ETCD_INITIAL_CLUSTER', cluster.replace(',etcd3=https://192.168.0.93:2380', ''));
    setEnv(files, 'etcd2', 'ETCD_INITIAL_CLUSTER', cluster.replace('etcd1=https://192.168.0.91:2380,', ''));
    const evidence = expectFail(await doctorBundle(files), 'cluster.initial-cluster-agree')
      .map((f) => f.evidence)
      .join('\n');
    expect(evidence).toMatch(/\betcd\d lists\b/);
    expect(evidence).not.toMatch(/\betcd\d list\b/);
  });
});

describe('a shared peer certificate (issue 16, item 13)', () => {
  it('is not said to lack the peer host it names', async () => {
    const files = copyBundle(clean);
    const { cert, key } = await issue({
      ca: bundleAuthority(files),
      cn: 'etcd-peer',
      hosts: ['192.168.0.91', '192.168.0.92', '192.168.0.93', '127.0.0.1'],
      usages: SERVER_USAGES,
    });
    for (const member of ['etcd1', 'etcd2']) {
      put(files, `${member}/${member}-peer.pem`, cert);
      put(files, `${member}/${member}-peer-key.pem`, key, 0o600);
    }
    const found = expectFail(await doctorBundle(files), 'cluster.unique-peer-cert', 'etcd1');
    expect(found[0]!.evidence).not.toContain('not in the certificate');
    expect(found[0]!.evidence).toContain('names its peer host too');
  });
});
