import { writeFileSync } from 'node:fs';
import { generateCertificate, initCA, loadSigningPolicy, normaliseCertificateRequest, resolveProfile } from 'etcd-pki';

// A root CA, as `cfssl gencert -initca rootca-csr.json` makes it.
const root = await initCA({
  request: normaliseCertificateRequest({
    CN: 'ETCD Root CA',
    key: { algo: 'ecdsa', size: 256 },
    names: [{ C: 'US', ST: 'San Francisco', L: 'CA' }],
  }),
});

// The walkthrough's peer profile, as it would stand in ca-config.json.
const policy = loadSigningPolicy(
  JSON.stringify({
    signing: {
      default: { expiry: '168h' },
      profiles: { peer: { expiry: '8760h', usages: ['signing', 'key encipherment', 'server auth', 'client auth'] } },
    },
  }),
  { file: 'ca-config.json' },
);

// A peer certificate for etcd1, as `cfssl gencert -profile=peer etcd1-peer-csr.json` makes it.
const peer = await generateCertificate({
  request: normaliseCertificateRequest({ CN: 'etcd1', hosts: ['192.168.0.91', '127.0.0.1'] }),
  ca: root.authority,
  profile: resolveProfile(policy, 'peer'),
});

writeFileSync('rootca.pem', root.cert);
writeFileSync('etcd1-peer.pem', peer.cert);
writeFileSync('etcd1-peer-key.pem', peer.key, { mode: 0o600 });
console.log('wrote rootca.pem, etcd1-peer.pem, etcd1-peer-key.pem');
