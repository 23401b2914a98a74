/**
 * Interop with the real openssl: keys openssl generates (every label and format it writes) are read
 * by etcd-pki and sign certificates openssl verifies; openssl signs with an etcd-pki CA.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCertificate, generateKey, initCA } from '../../src/signing/operations.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { loadCertificateRequest, normaliseCertificateRequest } from '../../src/csr/load.js';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { readPrivateKey } from '../../src/keys/read.js';
import type { KeySpec } from '../../src/keys/algorithms.js';
import { fixture } from '../support/fixtures.js';
import { extension, x509Text } from '../support/openssl.js';
import { expectVerifies, keyIdOf, opensslSignatureName } from '../support/issued.js';
import { runOk } from '../support/run.js';
import { useTempDir } from '../support/temp.js';

const tmp = useTempDir('etcd-pki-openssl-');
const policy = loadSigningPolicy(fixture('seed/ca-config.json'), { file: 'ca-config.json' });

interface KeyCase {
  name: string;
  file: string;
  args: string[];
  spec: KeySpec;
  labels: string[];
}

const KEYS: KeyCase[] = [
  {
    name: 'ecparam -genkey P-256 (EC PARAMETERS + EC PRIVATE KEY)',
    file: 'ec256.pem',
    args: ['ecparam', '-name', 'prime256v1', '-genkey'],
    spec: { algo: 'ecdsa', size: 256 },
    labels: ['EC PARAMETERS', 'EC PRIVATE KEY'],
  },
  {
    name: 'ecparam -genkey -noout P-384 (EC PRIVATE KEY)',
    file: 'ec384.pem',
    args: ['ecparam', '-name', 'secp384r1', '-genkey', '-noout'],
    spec: { algo: 'ecdsa', size: 384 },
    labels: ['EC PRIVATE KEY'],
  },
  {
    name: 'genpkey EC P-521 (PKCS#8)',
    file: 'ec521.pem',
    args: ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
    spec: { algo: 'ecdsa', size: 521 },
    labels: ['PRIVATE KEY'],
  },
  {
    name: 'genrsa -traditional 2048 (PKCS#1)',
    file: 'rsa2048.pem',
    args: ['genrsa', '-traditional', '-out', '{out}', '2048'],
    spec: { algo: 'rsa', size: 2048 },
    labels: ['RSA PRIVATE KEY'],
  },
  {
    name: 'genpkey RSA 3072 (PKCS#8)',
    file: 'rsa3072.pem',
    args: ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
    spec: { algo: 'rsa', size: 3072 },
    labels: ['PRIVATE KEY'],
  },
  {
    name: 'genpkey ED25519 (PKCS#8)',
    file: 'ed25519.pem',
    args: ['genpkey', '-algorithm', 'ED25519'],
    spec: { algo: 'ed25519' },
    labels: ['PRIVATE KEY'],
  },
];

describe('keys openssl writes, used by etcd-pki', () => {
  it.each(KEYS)(
    'reads a fresh `openssl $name` key and makes a CA with it that issues a chain openssl verifies',
    async ({ file, args, spec, labels }) => {
      // genrsa wants its size last, so the output file goes where "{out}" stands, else at the end.
      const out = tmp.join(file);
      await runOk('openssl', args.includes('{out}') ? args.map((a) => (a === '{out}' ? out : a)) : [...args, '-out', out]);
      const pem = readFileSync(out, 'utf8');
      expect([...pem.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1])).toEqual(labels);
      const key = readPrivateKey(pem, file);
      expect(key.spec).toEqual(spec);
      const root = await initCA({ request: normaliseCertificateRequest({ CN: `openssl ${file} CA` }), key });
      expect('key' in root).toBe(false);
      // The CA certificate certifies openssl's key: openssl derives the same public key from both.
      expect(await runOk('openssl', ['x509', '-noout', '-pubkey'], { input: root.cert })).toBe(
        await runOk('openssl', ['pkey', '-pubout', '-in', tmp.join(file)]),
      );
      const peer = await generateCertificate({
        request: loadCertificateRequest(fixture('seed/etcd1-peer-csr.json')),
        ca: root.authority,
        profile: resolveProfile(policy, 'peer'),
      });
      await expectVerifies(root.cert, peer.cert, { purpose: 'sslserver' });
      expect((await x509Text(peer.cert)).signatureAlgorithm).toBe(opensslSignatureName(spec));
    },
  );
});

describe('openssl signs with an etcd-pki CA', () => {
  it.each([
    { name: 'an ECDSA P-384 CA (SEC1 key)', key: { algo: 'ecdsa', size: 384 } as const, keyFormat: 'cfssl' as const },
    { name: 'an RSA 2048 CA (PKCS#1 key)', key: { algo: 'rsa', size: 2048 } as const, keyFormat: 'cfssl' as const },
    { name: 'an Ed25519 CA (PKCS#8 key)', key: { algo: 'ed25519' } as const, keyFormat: 'pkcs8' as const },
    { name: 'an ECDSA P-256 CA (PKCS#8 key)', key: { algo: 'ecdsa', size: 256 } as const, keyFormat: 'pkcs8' as const },
  ])('openssl x509 -req signs our request with $name, and the chain verifies', async ({ key, keyFormat }) => {
    const root = await initCA({ request: normaliseCertificateRequest({ CN: 'etcd-pki CA', key }), keyFormat });
    const base = `ca-${key.algo}-${'size' in key ? key.size : ''}-${keyFormat}`;
    const caFile = tmp.write(`${base}.pem`, root.cert);
    const caKeyFile = tmp.write(`${base}-key.pem`, root.key!);
    const request = await generateKey({ request: loadCertificateRequest(fixture('seed/etcd2-csr.json')) });
    const csrFile = tmp.write(`${base}-leaf.csr`, request.csr);
    const extFile = tmp.write(
      `${base}.ext`,
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:192.168.0.92\nauthorityKeyIdentifier=keyid\n',
    );
    const cert = await runOk('openssl', [
      'x509',
      '-req',
      '-in',
      csrFile,
      '-CA',
      caFile,
      '-CAkey',
      caKeyFile,
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      extFile,
    ]);
    await expectVerifies(root.cert, cert, { purpose: 'sslserver' });
    expect(extension(await x509Text(cert), 'Authority Key Identifier')?.value).toBe(keyIdOf(root.cert));
    // And the CA etcd-pki made loads back as a CA.
    expect(loadCertificateAuthority({ certificate: root.cert, key: root.key! }).certificate.isCA).toBe(true);
  });
});

describe('a CA made by openssl signs with etcd-pki', () => {
  it('issues from an RSA CA made by openssl req -x509 with a PKCS#8 key', async () => {
    const keyFile = tmp.join('openssl-rsa-ca-key.pem');
    await runOk('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]);
    const caCert = await runOk('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      keyFile,
      '-subj',
      '/O=openssl/CN=openssl RSA root',
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const ca = loadCertificateAuthority({ certificate: caCert, key: readFileSync(keyFile, 'utf8') });
    const client = await generateCertificate({
      request: loadCertificateRequest(fixture('seed/etcdctl-csr.json')),
      ca,
      profile: resolveProfile(policy, 'client'),
    });
    await expectVerifies(caCert, client.cert, { purpose: 'sslclient' });
    const text = await x509Text(client.cert);
    expect(text.issuer).toBe('O = openssl, CN = openssl RSA root');
    expect(text.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(extension(text, 'Authority Key Identifier')?.value).toBe(keyIdOf(caCert));
  });
});
