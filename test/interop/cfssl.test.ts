/**
 * Interop with the real cfssl: 1.6.5 (the reference), then Debian's golang-cfssl 1.2 where it is
 * installed. Each side's CAs sign with the other's tools, each reads the other's keys, and for the
 * walkthrough's inputs both issue the same certificates field by field (serials, keys, key ids
 * and times masked). The corpus (corpus.test.ts) covers every option against 1.6.5.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate, generateKey, initCA, signRequest } from '../../src/signing/operations.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { loadCertificateRequest, normaliseCertificateRequest } from '../../src/csr/load.js';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { readPrivateKey } from '../../src/keys/read.js';
import { certificateInfo, type CertificateInfo } from '../../src/x509/certinfo.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { fixture, fixturePath, fixtureNames, WALKTHROUGH_LEAVES } from '../support/fixtures.js';
import { extension, sanEntries, x509Text } from '../support/openssl.js';
import { masked } from '../support/masked.js';
import { expectVerifies, keyIdOf } from '../support/issued.js';
import { expectPkiErrorSync } from '../support/errors.js';
import { run } from '../support/run.js';
import { debianCfsslInstalled, requireCfssl165 } from '../support/cfssl.js';
import { useTempDir } from '../support/temp.js';

interface CfsslOutput {
  cert?: string;
  key?: string;
  csr?: string;
}

const tmp = useTempDir('etcd-pki-cfssl-');

// cfssl 1.6.5 first; Debian's 1.2 as a second reference where installed. The suites run one
// reference after the other, each setting the binary in its beforeAll.
const REFERENCES = [
  { name: 'cfssl 1.6.5', version: '1.6.5', bin: () => requireCfssl165().cfssl },
  ...(debianCfsslInstalled() ? [{ name: 'cfssl 1.2 (Debian)', version: '1.2', bin: () => 'cfssl' }] : []),
] as const;
let CFSSL = 'cfssl';

/** Runs cfssl in the temp dir and parses the JSON it prints (what cfssljson would read). */
async function cfssl(...args: string[]): Promise<CfsslOutput> {
  const result = await run(CFSSL, args, { cwd: tmp.path });
  if (result.code !== 0) throw new Error(`cfssl ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as CfsslOutput;
}

/** `cfssl certinfo -cert FILE` as JSON. */
async function cfsslCertinfo(pem: string): Promise<CertificateInfo> {
  const file = tmp.write(`certinfo-${Math.random().toString(36).slice(2)}.pem`, pem);
  return (await cfssl('certinfo', '-cert', file)) as unknown as CertificateInfo;
}

const padKeyId = (id: string) =>
  id === ''
    ? ''
    : id
        .split(':')
        .map((b) => b.padStart(2, '0'))
        .join(':');
const policy = loadSigningPolicy(fixture('seed/ca-config.json'), { file: 'ca-config.json' });

describe.each(REFERENCES)('against $name', ({ version, bin }) => {
  beforeAll(() => {
    CFSSL = bin();
    for (const name of fixtureNames('seed').filter((f) => f.endsWith('.json'))) copyFileSync(fixturePath(`seed/${name}`), tmp.join(name));
  });

  describe('the walkthrough, issued by cfssl and by etcd-pki, compared field by field', () => {
    const theirs = new Map<string, CfsslOutput>();
    const ours = new Map<string, { cert: string; key?: string }>();

    beforeAll(async () => {
      // cfssl gencert -initca rootca-csr.json | cfssljson -bare rootca, and so on (README of fixtures/seed).
      const root = await cfssl('gencert', '-initca', 'rootca-csr.json');
      theirs.set('rootca', root);
      tmp.write('rootca.pem', root.cert!);
      tmp.write('rootca-key.pem', root.key!);
      for (const { name, profile } of WALKTHROUGH_LEAVES) {
        theirs.set(
          name,
          await cfssl(
            'gencert',
            '-ca=rootca.pem',
            '-ca-key=rootca-key.pem',
            '-config=ca-config.json',
            `-profile=${profile}`,
            `${name}-csr.json`,
          ),
        );
      }

      const ourRoot = await initCA({ request: loadCertificateRequest(fixture('seed/rootca-csr.json'), { file: 'rootca-csr.json' }) });
      ours.set('rootca', ourRoot);
      await Promise.all(
        WALKTHROUGH_LEAVES.map(async ({ name, profile }) => {
          const issued = await generateCertificate({
            request: loadCertificateRequest(fixture(`seed/${name}-csr.json`), { file: `${name}-csr.json` }),
            ca: ourRoot.authority,
            profile: resolveProfile(policy, profile),
          });
          ours.set(name, issued);
        }),
      );
    });

    const all = [{ name: 'rootca', profile: '-initca' }, ...WALKTHROUGH_LEAVES].map((c) => ({ ...c, title: `${c.name} (${c.profile})` }));

    it.each(all)('$title: every field but serial, key, key ids and times is the same', async ({ name }) => {
      const cfsslText = await x509Text(theirs.get(name)!.cert!);
      const oursText = await x509Text(ours.get(name)!.cert);
      expect(masked(oursText)).toEqual(masked(cfsslText));
      // The masking hides no difference that matters: both chains verify, with AKI = the issuer's SKI.
      await expectVerifies(theirs.get('rootca')!.cert!, theirs.get(name)!.cert!);
      await expectVerifies(ours.get('rootca')!.cert, ours.get(name)!.cert);
      if (name !== 'rootca') {
        expect(extension(oursText, 'Authority Key Identifier')?.value).toBe(keyIdOf(ours.get('rootca')!.cert));
        expect(extension(cfsslText, 'Authority Key Identifier')?.value).toBe(keyIdOf(theirs.get('rootca')!.cert!));
      }
    });

    it.each(all)('$title: certinfo prints the same JSON as cfssl certinfo, but for serial, key ids, times and pem', async ({ name }) => {
      const mask = (info: CertificateInfo) => ({
        ...info,
        serial_number: '<serial>',
        not_before: '<time>',
        not_after: '<time>',
        authority_key_id: info.authority_key_id === '' ? '' : '<key id>',
        subject_key_id: '<key id>',
        pem: '<pem>',
      });
      const oursInfo = certificateInfo(parseCertificate(ours.get(name)!.cert));
      expect(mask(oursInfo)).toEqual(mask(await cfsslCertinfo(theirs.get(name)!.cert!)));
      // And on one and the same certificate, every field is equal (key ids padded, see MADE-BY.md).
      const same = await cfsslCertinfo(ours.get(name)!.cert);
      expect(oursInfo).toEqual({
        ...same,
        authority_key_id: padKeyId(same.authority_key_id),
        subject_key_id: padKeyId(same.subject_key_id),
      });
    });

    it.each(all)('$title: the key is written as cfssl writes it', ({ name }) => {
      const label = (pem: string) => /-----BEGIN ([A-Z ]+)-----/.exec(pem)![1];
      expect(label(ours.get(name)!.key!)).toBe(label(theirs.get(name)!.key!));
      expect(readPrivateKey(theirs.get(name)!.key!).spec).toEqual(readPrivateKey(ours.get(name)!.key!).spec);
    });
  });

  describe('profile options, issued by cfssl and by etcd-pki from the same CA, compared field by field', () => {
    const USAGES = [
      'signing',
      'digital signature',
      'key encipherment',
      'key agreement',
      'data encipherment',
      'cert sign',
      'crl sign',
      'encipher only',
      'decipher only',
      'any',
      'server auth',
      'client auth',
      'code signing',
      'email protection',
      'ipsec end system',
      'ipsec tunnel',
      'ipsec user',
      'timestamping',
      'ocsp signing',
      'microsoft sgc',
      'netscape sgc',
    ];
    const CONFIG = {
      signing: {
        profiles: {
          intermediate: {
            usages: ['cert sign', 'crl sign'],
            expiry: '43800h',
            ca_constraint: { is_ca: true, max_path_len: 1 },
            crl_url: 'http://pki.example/crl.der',
            ocsp_url: 'http://pki.example/ocsp',
            issuer_urls: ['http://pki.example/ca.pem'],
          },
          everything: { usages: USAGES, expiry: '1h30m', backdate: '1h' },
          'content-commitment': { usages: ['signing', 'content commitment'], expiry: '8760h' },
        },
      },
    };
    const optionsPolicy = loadSigningPolicy(JSON.stringify(CONFIG), { file: 'options-config.json' });

    beforeAll(() => {
      tmp.write('options-config.json', JSON.stringify(CONFIG));
    });

    async function both(profile: string) {
      const ca = loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });
      const theirs = await cfssl(
        'gencert',
        `-ca=${fixturePath('cfssl/rootca.pem')}`,
        `-ca-key=${fixturePath('cfssl/rootca-key.pem')}`,
        '-config=options-config.json',
        `-profile=${profile}`,
        'etcd1-csr.json',
      );
      const ours = await generateCertificate({
        request: loadCertificateRequest(fixture('seed/etcd1-csr.json')),
        ca,
        profile: resolveProfile(optionsPolicy, profile),
      });
      return { theirs: await x509Text(theirs.cert!), ours: await x509Text(ours.cert), oursPem: ours.cert };
    }

    it('ca_constraint with max_path_len, crl_url, ocsp_url and issuer_urls: the same extensions in the same order', async () => {
      const { theirs, ours, oursPem } = await both('intermediate');
      expect(masked(ours)).toEqual(masked(theirs));
      expect(extension(ours, 'Basic Constraints')?.value).toBe('CA:TRUE, pathlen:1');
      await expectVerifies(fixture('cfssl/rootca.pem'), oursPem);
    });

    it('every usage name (one spelling each), expiry 1h30m and backdate 1h: the same bits, EKUs and validity', async () => {
      const { theirs, ours } = await both('everything');
      expect(masked(ours)).toEqual(masked(theirs));
      expect(ours.notAfter.getTime() - ours.notBefore.getTime()).toBe(90 * 60_000);
    });

    it.skipIf(version !== '1.2')(
      'differs on purpose for "content commitment", which cfssl 1.2 spells "content committment" and otherwise drops',
      async () => {
        const { theirs, ours } = await both('content-commitment');
        expect(extension(ours, 'Key Usage')?.value).toBe('Digital Signature, Non Repudiation');
        expect(extension(theirs, 'Key Usage')?.value).toBe('Digital Signature');
        expectPkiErrorSync(() => loadSigningPolicy(JSON.stringify({ signing: { profiles: { p: { usages: ['content committment'] } } } })), {
          code: 'UNKNOWN_USAGE',
          hint: 'did you mean "content commitment"',
        });
      },
    );
  });

  describe('a CA made by cfssl signs with etcd-pki', () => {
    it.each([
      { name: 'ECDSA P-256 (the walkthrough)', key: { algo: 'ecdsa', size: 256 }, sig: 'ecdsa-with-SHA256' },
      { name: 'ECDSA P-384', key: { algo: 'ecdsa', size: 384 }, sig: 'ecdsa-with-SHA384' },
      { name: 'RSA 2048', key: { algo: 'rsa', size: 2048 }, sig: 'sha256WithRSAEncryption' },
    ])("$name: etcd-pki issues from cfssl's CA, openssl verifies the chain", async ({ key, sig }) => {
      const csr = tmp.write(`cfssl-ca-${key.algo}-${key.size}-csr.json`, JSON.stringify({ CN: 'cfssl CA', key }));
      const root = await cfssl('gencert', '-initca', csr);
      const ca = loadCertificateAuthority({ certificate: root.cert!, key: root.key!, certificateFile: 'ca.pem', keyFile: 'ca-key.pem' });
      const peer = await generateCertificate({
        request: loadCertificateRequest(fixture('seed/etcd1-peer-csr.json')),
        ca,
        profile: resolveProfile(policy, 'peer'),
      });
      await expectVerifies(root.cert!, peer.cert, { purpose: 'sslserver' });
      await expectVerifies(root.cert!, peer.cert, { purpose: 'sslclient' });
      const text = await x509Text(peer.cert);
      expect(text.signatureAlgorithm).toBe(sig);
      expect(extension(text, 'Authority Key Identifier')?.value).toBe(keyIdOf(root.cert!));
    });

    it("signs cfssl's own request (cfssl genkey) with etcd-pki", async () => {
      const made = await cfssl('genkey', 'etcd2-peer-csr.json');
      const ca = loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });
      const { cert } = await signRequest({ csr: made.csr!, ca, profile: resolveProfile(policy, 'peer') });
      await expectVerifies(fixture('cfssl/rootca.pem'), cert);
      expect(sanEntries(await x509Text(cert))).toEqual(['IP Address:192.168.0.92']);
      expect(readPrivateKey(made.key!).spec).toEqual({ algo: 'ecdsa', size: 256 });
    });
  });

  describe('a CA made by etcd-pki signs with cfssl', () => {
    it.each([
      { name: 'ECDSA P-256 key in SEC1', key: { algo: 'ecdsa', size: 256 } as const, keyFormat: 'cfssl' as const },
      { name: 'ECDSA P-521 key in SEC1', key: { algo: 'ecdsa', size: 521 } as const, keyFormat: 'cfssl' as const },
      { name: 'RSA 2048 key in PKCS#1', key: { algo: 'rsa', size: 2048 } as const, keyFormat: 'cfssl' as const },
      { name: 'ECDSA P-256 key in PKCS#8', key: { algo: 'ecdsa', size: 256 } as const, keyFormat: 'pkcs8' as const },
    ])('cfssl gencert -ca-key reads our $name and issues a chain openssl verifies', async ({ key, keyFormat }) => {
      const root = await initCA({ request: normaliseCertificateRequest({ CN: 'etcd-pki CA', key }), keyFormat });
      const base = `ours-${key.algo}-${key.size}-${keyFormat}`;
      tmp.write(`${base}.pem`, root.cert);
      tmp.write(`${base}-key.pem`, root.key!);
      const leaf = await cfssl(
        'gencert',
        `-ca=${base}.pem`,
        `-ca-key=${base}-key.pem`,
        '-config=ca-config.json',
        '-profile=peer',
        'etcd3-peer-csr.json',
      );
      await expectVerifies(root.cert, leaf.cert!, { purpose: 'sslserver' });
      const text = await x509Text(leaf.cert!);
      expect(extension(text, 'Authority Key Identifier')?.value).toBe(keyIdOf(root.cert));
      expect(text.issuer).toBe('CN = etcd-pki CA');
    });

    it('cfssl sign takes a request made by etcd-pki', async () => {
      const made = await generateKey({ request: loadCertificateRequest(fixture('seed/etcd4-peer-csr.json')) });
      const csrFile = tmp.write('ours-etcd4-peer.csr', made.csr);
      const signed = await cfssl(
        'sign',
        `-ca=${fixturePath('cfssl/rootca.pem')}`,
        `-ca-key=${fixturePath('cfssl/rootca-key.pem')}`,
        '-config=ca-config.json',
        '-profile=peer',
        csrFile,
      );
      await expectVerifies(fixture('cfssl/rootca.pem'), signed.cert!);
      const text = await x509Text(signed.cert!);
      expect(text.subject).toBe('C = US, ST = San Francisco, L = CA, CN = ETCD Peer on etcd4');
      expect(sanEntries(text)).toEqual(['IP Address:192.168.0.94']);
      // The certificate certifies our key.
      expect(
        Buffer.from(parseCertificate(signed.cert!).subjectPublicKeyInfo).equals(
          readPrivateKey(made.key).publicKey.export({ type: 'spki', format: 'der' }),
        ),
      ).toBe(true);
    });
  });

  describe('keys cfssl writes, read by etcd-pki', () => {
    it.each([
      { algo: 'ecdsa', size: 256 },
      { algo: 'ecdsa', size: 384 },
      { algo: 'ecdsa', size: 521 },
      { algo: 'rsa', size: 2048 },
    ] as const)('reads a fresh cfssl genkey $algo-$size key, matching its request', async (key) => {
      const csr = tmp.write(`genkey-${key.algo}-${key.size}.json`, JSON.stringify({ CN: 'k', key }));
      const made = await cfssl('genkey', csr);
      const pair = readPrivateKey(made.key!);
      expect(pair.spec).toEqual(key);
      const { parseCertificationRequest } = await import('../../src/x509/request.js');
      expect(
        Buffer.from(parseCertificationRequest(made.csr!).subjectPublicKeyInfo).equals(
          pair.publicKey.export({ type: 'spki', format: 'der' }),
        ),
      ).toBe(true);
    });
  });

  describe('where etcd-pki differs from cfssl on purpose', () => {
    it.skipIf(version !== '1.2')('writes URI hosts as URI SANs; cfssl 1.2 writes them as DNS names', async () => {
      const json = { CN: 'etcd1', hosts: ['spiffe://cluster.local/etcd1', '192.168.0.91'] };
      const file = tmp.write('uri-csr.json', JSON.stringify(json));
      const theirs = await cfssl('gencert', '-ca=rootca.pem', '-ca-key=rootca-key.pem', '-config=ca-config.json', '-profile=peer', file);
      const ca = loadCertificateAuthority({
        certificate: readFileSync(tmp.join('rootca.pem'), 'utf8'),
        key: readFileSync(tmp.join('rootca-key.pem'), 'utf8'),
      });
      const ours = await generateCertificate({ request: normaliseCertificateRequest(json), ca, profile: resolveProfile(policy, 'peer') });
      expect(sanEntries(await x509Text(ours.cert))).toEqual(['IP Address:192.168.0.91', 'URI:spiffe://cluster.local/etcd1']);
      expect(sanEntries(await x509Text(theirs.cert!))).toEqual(['DNS:spiffe://cluster.local/etcd1', 'IP Address:192.168.0.91']);
    });

    it('refuses usage "sever auth", which cfssl drops silently (issuing a peer certificate without server auth)', async () => {
      const typo = fixture('invalid/ca-config/usage-typo-sever-auth.json');
      tmp.write('typo-config.json', typo);
      const theirs = await cfssl(
        'gencert',
        '-ca=rootca.pem',
        '-ca-key=rootca-key.pem',
        '-config=typo-config.json',
        '-profile=peer',
        'etcd1-peer-csr.json',
      );
      expect(extension(await x509Text(theirs.cert!), 'Extended Key Usage')?.value).toBe('TLS Web Client Authentication');
      expectPkiErrorSync(() => loadSigningPolicy(typo, { file: 'typo-config.json' }), {
        code: 'UNKNOWN_USAGE',
        file: 'typo-config.json',
        path: '/signing/profiles/peer/usages/2',
        hint: 'did you mean "server auth"',
      });
    });

    it('refuses profile "pear" with a suggestion, where cfssl falls back to the default profile', async () => {
      const result = await run(
        CFSSL,
        ['gencert', '-ca=rootca.pem', '-ca-key=rootca-key.pem', '-config=ca-config.json', '-profile=pear', 'etcd1-peer-csr.json'],
        { cwd: tmp.path },
      );
      // cfssl used the walkthrough's default profile, which has no usages.
      expect(result.stdout + result.stderr).toContain('no key usage available');
      expectPkiErrorSync(() => resolveProfile(policy, 'pear'), { code: 'PROFILE_UNKNOWN', hint: 'did you mean "peer"' });
    });

    it('refuses {"algo": "rsa"} without a size with the fix, where cfssl says only "RSA key is too weak"', async () => {
      const result = await run(CFSSL, ['genkey', fixturePath('invalid/csr/rsa-without-size.json')], { cwd: tmp.path });
      expect(result.stdout + result.stderr).toContain('RSA key is too weak');
      expectPkiErrorSync(() => loadCertificateRequest(fixture('invalid/csr/rsa-without-size.json')), {
        code: 'KEY_TOO_WEAK',
        path: '/key/size',
        hint: '"size": 2048',
      });
    });
  });
});
