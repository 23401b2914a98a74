import { beforeAll, describe, expect, it } from 'vitest';
import { deployedCertificateRefs, deployedExpirationInputs } from '../../src/lifecycle/deployed.js';
import { expirationReport } from '../../src/lifecycle/expiration.js';
import { expectPkiErrorSync } from '../support/errors.js';
import { makeBundle, text } from './bundle.js';

describe('deployed configurations', () => {
  let bundle: Map<string, Uint8Array>;
  beforeAll(async () => {
    bundle = await makeBundle();
  });

  it("names a member's server, peer and trusted CA files from etcd.conf, and a client's from its env", () => {
    const refs = deployedCertificateRefs([
      { file: 'etcd1/etcd.conf', text: text(bundle, 'etcd1/etcd.conf') },
      { file: 'etcdctl/etcdctl.env', text: text(bundle, 'etcdctl/etcdctl.env') },
    ]);
    expect(refs).toEqual([
      { path: '/etc/etcd/pki/etcd1.pem', role: 'server', owner: 'etcd1', config: 'etcd1/etcd.conf' },
      { path: '/etc/etcd/pki/etcd1-peer.pem', role: 'peer', owner: 'etcd1', config: 'etcd1/etcd.conf' },
      { path: '/etc/etcd/pki/ca.pem', role: 'ca', owner: 'etcd1', config: 'etcd1/etcd.conf' },
      { path: '/etc/etcd/pki/etcdctl.pem', role: 'client', owner: 'etcdctl', config: 'etcdctl/etcdctl.env' },
      { path: '/etc/etcd/pki/ca.pem', role: 'ca', owner: 'etcdctl', config: 'etcdctl/etcdctl.env' },
    ]);
  });

  it('reads an etcd YAML config file the same way', () => {
    const refs = deployedCertificateRefs([{ file: 'etcd2/etcd.yaml', text: text(bundle, 'etcd2/etcd.yaml') }]);
    expect(refs.map((r) => `${r.role} ${r.path}`)).toEqual([
      'server /etc/etcd/pki/etcd2.pem',
      'peer /etc/etcd/pki/etcd2-peer.pem',
      'ca /etc/etcd/pki/ca.pem',
    ]);
  });

  it('reports the files read, taking only the leaf of a certificate file that carries its chain', () => {
    const refs = deployedCertificateRefs([{ file: 'etcd1/etcd.conf', text: text(bundle, 'etcd1/etcd.conf') }]);
    const files = new Map([
      ['/etc/etcd/pki/etcd1.pem', new TextEncoder().encode(text(bundle, 'etcd1/etcd1.pem') + text(bundle, 'ca/ca.pem'))],
      ['/etc/etcd/pki/ca.pem', bundle.get('ca/ca.pem')!],
    ]);
    const inputs = deployedExpirationInputs(refs, files);
    expect(inputs.map((i) => `${i.role} ${i.location}`)).toEqual(['server /etc/etcd/pki/etcd1.pem', 'ca /etc/etcd/pki/ca.pem']);
    const report = expirationReport({ certificates: inputs, now: new Date('2026-01-02T00:00:00Z'), threshold: 0 });
    expect(report.entries.map((e) => e.commonName)).toEqual(['etcd1', 'ETCD Root CA']);
  });

  it('refuses a file that names no certificate', () => {
    expectPkiErrorSync(() => deployedCertificateRefs([{ file: 'plain.conf', text: 'ETCD_NAME="etcd1"\n' }]), {
      code: 'INVALID_CONFIG',
      message: 'names no certificate file',
      hint: 'ETCD_CERT_FILE',
    });
  });
});
