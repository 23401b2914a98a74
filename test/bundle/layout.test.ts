import { describe, expect, it } from 'vitest';
import { BUNDLE_FILES, bundlePath, clientFileNames, expandTemplate, memberFileNames, nodePath } from '../../src/bundle/layout.js';

describe('the bundle layout', () => {
  it("uses the walkthrough's file names", () => {
    expect(memberFileNames('etcd1')).toMatchObject({
      serverCertificate: 'etcd1.pem',
      serverKey: 'etcd1-key.pem',
      peerCertificate: 'etcd1-peer.pem',
      peerKey: 'etcd1-peer-key.pem',
      ca: 'ca.pem',
      etcdConf: 'etcd.conf',
      etcdYaml: 'etcd.yaml',
    });
    expect(clientFileNames('etcdctl')).toMatchObject({ certificate: 'etcdctl.pem', key: 'etcdctl-key.pem', env: 'etcdctl.env' });
    expect(BUNDLE_FILES).toEqual({ caCertificate: 'ca/ca.pem', caKey: 'ca/ca-key.pem', manifest: 'manifest.json', readme: 'README.txt' });
  });

  it('expands {name} everywhere in a template and joins paths without doubled slashes', () => {
    expect(expandTemplate('/srv/{name}/pki/{name}', 'etcd2')).toBe('/srv/etcd2/pki/etcd2');
    expect(nodePath('/etc/etcd/pki/', 'ca.pem')).toBe('/etc/etcd/pki/ca.pem');
    expect(bundlePath('etcd1', 'etcd.conf')).toBe('etcd1/etcd.conf');
  });
});
