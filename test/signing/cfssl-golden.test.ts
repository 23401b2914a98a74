/**
 * Byte-exact vectors from real cfssl: given cfssl's serial, issuance time, CA key and request,
 * etcd-pki's TBSCertificate equals cfssl's byte for byte (fixtures/cfssl, see MADE-BY.md). Only the
 * signature differs, since ECDSA signatures are randomised.
 */
import { describe, expect, it, vi } from 'vitest';
import { createRequest, initCA, signRequest } from '../../src/signing/operations.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { loadCertificateRequest } from '../../src/csr/load.js';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { readPrivateKey } from '../../src/keys/read.js';
import { parseCertificate, isSignedBy } from '../../src/x509/parse.js';
import { parseCertificationRequest } from '../../src/x509/request.js';
import { fixture, WALKTHROUGH_LEAVES } from '../support/fixtures.js';
import { expectVerifies } from '../support/issued.js';

const serial = vi.hoisted(() => ({ next: undefined as Uint8Array | undefined }));
vi.mock('../../src/x509/serial.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/x509/serial.js')>();
  return {
    ...original,
    randomSerial: () => {
      const fixed = serial.next;
      serial.next = undefined;
      return fixed ?? original.randomSerial();
    },
  };
});

const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
const tbsOf = (pem: string) => hex(parseCertificate(pem).tbs);
const requestInfoOf = (pem: string) => hex(parseCertificationRequest(pem).tbs);
// cfssl: NotBefore = now rounded to the minute - 5 minutes; issuing "at" NotBefore + 5 minutes reproduces it.
const issuedAt = (pem: string) => new Date(parseCertificate(pem).notBefore.getTime() + 5 * 60_000);

const policy = loadSigningPolicy(fixture('seed/ca-config.json'), { file: 'ca-config.json' });
const cfsslRoot = () => loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });

describe("etcd-pki's certificates equal cfssl's byte for byte, given cfssl's serial and time", () => {
  it("makes the walkthrough's root CA (gencert -initca rootca-csr.json) with cfssl's exact TBSCertificate", async () => {
    const cfssl = fixture('cfssl/rootca.pem');
    serial.next = parseCertificate(cfssl).serial;
    const ours = await initCA({
      request: loadCertificateRequest(fixture('seed/rootca-csr.json')),
      key: readPrivateKey(fixture('cfssl/rootca-key.pem')),
      now: issuedAt(cfssl),
    });
    expect(tbsOf(ours.cert)).toBe(tbsOf(cfssl));
    expect(requestInfoOf(ours.csr)).toBe(requestInfoOf(fixture('cfssl/rootca.csr')));
    await expectVerifies(ours.cert, ours.cert);
  });

  const leaves = [...WALKTHROUGH_LEAVES, { name: 'mixed-hosts', profile: 'peer' as const }];
  it.each(leaves)("signs $name.csr with profile $profile into cfssl's exact TBSCertificate", async ({ name, profile }) => {
    const cfssl = fixture(`cfssl/${name}.pem`);
    serial.next = parseCertificate(cfssl).serial;
    const ca = cfsslRoot();
    const ours = await signRequest({
      csr: fixture(`cfssl/${name}.csr`),
      ca,
      profile: resolveProfile(policy, profile),
      now: issuedAt(cfssl),
    });
    expect(tbsOf(ours.cert)).toBe(tbsOf(cfssl));
    expect(await isSignedBy(parseCertificate(ours.cert), ca.certificate)).toBe(true);
    await expectVerifies(fixture('cfssl/rootca.pem'), ours.cert);
  });

  const requests = [
    { name: 'etcd1', json: 'seed/etcd1-csr.json' },
    { name: 'etcdctl', json: 'seed/etcdctl-csr.json' },
    { name: 'etcd', json: 'seed/etcd-csr.json' },
    { name: 'mixed-hosts', json: 'cfssl/mixed-hosts-csr.json' },
    { name: 'multi-valued-names', json: 'cfssl/multi-valued-names-csr.json' },
    { name: 'genkey-rsa-2048', json: 'cfssl/genkey-rsa-2048-csr.json' },
    { name: 'genkey-ecdsa-521', json: 'cfssl/genkey-ecdsa-521-csr.json' },
  ];
  it.each(requests)("writes $name's PKCS#10 request info exactly as cfssl (gencsr with cfssl's key)", async ({ name, json }) => {
    const ours = await createRequest({
      request: loadCertificateRequest(fixture(json)),
      key: readPrivateKey(fixture(`cfssl/${name}-key.pem`)),
    });
    expect(requestInfoOf(ours.csr)).toBe(requestInfoOf(fixture(`cfssl/${name}.csr`)));
  });
});
