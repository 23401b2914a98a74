// Issue 17: doctor on trust and revocation. Each fault is made in a clean bundle and must be named:
// a single-CA trust setup (a client certificate opens the peer port), a CRL missing, garbage, of
// another CA, expired, or revoking the member's own certificate, and GHSA-3wh4-j44w-pg92's
// listen-client-http-urls beside a client CRL. etcd's side of each (a missing CRL refuses every
// connection; a foreign or expired one is enforced all the same) is measured by the live suites.
import { beforeAll, describe, expect, it } from 'vitest';
import { PEM_LABELS, encodePem } from '../../src/pem/pem.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { signCrl } from '../../src/x509/crl.js';
import { parseCertificate } from '../../src/x509/parse.js';
import {
  WALKTHROUGH_CLUSTER,
  bundleAuthority,
  copyBundle,
  doctorBundle,
  expectFail,
  findings,
  makeBundle,
  problems,
  put,
  setEnv,
  text,
  type BundleFiles,
} from './support.js';

const DAY = 86_400_000;
let clean: BundleFiles;

beforeAll(async () => {
  clean = await makeBundle();
});

/** A CRL of `ca` listing `serials`, valid from `thisUpdate` to `nextUpdate`. */
async function crlOf(
  ca: ReturnType<typeof bundleAuthority>,
  serials: readonly Uint8Array[],
  thisUpdate: Date,
  nextUpdate: Date,
): Promise<string> {
  const der = await signCrl(
    {
      issuer: ca.certificate.subject,
      thisUpdate,
      nextUpdate,
      revoked: serials.map((serial) => ({ serial, revokedAt: thisUpdate })),
      authorityKeyId: ca.certificate.extensions.subjectKeyId,
    },
    ca.key,
  );
  return encodePem(PEM_LABELS.crl, der);
}
const peerCa = (files: BundleFiles) =>
  loadCertificateAuthority({ certificate: text(files, 'ca/peer-ca.pem'), key: text(files, 'ca/peer-ca-key.pem') });

describe('doctor: trust and revocation', () => {
  it('a clean bundle (trust separate, CRLs in place) has OK for each new check', async () => {
    const report = await doctorBundle(clean);
    expect(problems(report)).toEqual([]);
    for (const check of ['trust.port-separation', 'trust.crl', 'trust.crl-http-split'] as const)
      expect(findings(report, check, 'etcd1', 'OK')).toHaveLength(1);
  });

  it('warns of a single-CA bundle: the client certificates open the peer port, the peer certificates the client port', async () => {
    const single = await makeBundle({ ...WALKTHROUGH_CLUSTER, trust: 'single' });
    const report = await doctorBundle(single);
    const [warning] = findings(report, 'trust.port-separation', 'etcd1', 'WARN');
    expect(warning?.evidence).toContain('both trust "ETCD Root CA"');
    expect(warning?.evidence).toContain('client certificates are accepted on the peer port');
    expect(warning?.fix).toContain('-trust migrating');
    expect(report.status).toBe('WARN');
  });

  it('fails a missing CRL: etcd refuses every connection on that port', async () => {
    const files = copyBundle(clean);
    files.delete('etcd2/client-crl.pem');
    const [failure] = expectFail(await doctorBundle(files), 'trust.crl', 'etcd2');
    expect(failure!.evidence).toContain('ETCD_CLIENT_CRL_FILE=/etc/etcd/pki/client-crl.pem');
    expect(failure!.evidence).toContain('refuses every connection on the client port');
  });

  it('fails a CRL that is not one', async () => {
    const files = copyBundle(clean);
    put(files, 'etcd1/peer-crl.pem', 'junk\n');
    const [failure] = expectFail(await doctorBundle(files), 'trust.crl', 'etcd1');
    expect(failure!.evidence).toContain('is not a CRL');
  });

  it('fails a CRL of another CA than the port trusts (etcd would compare its serials all the same)', async () => {
    const files = copyBundle(clean);
    // The client CA's CRL where the peer port's belongs.
    put(files, 'etcd3/peer-crl.pem', text(files, 'ca/client-crl.pem'));
    const [failure] = expectFail(await doctorBundle(files), 'trust.crl', 'etcd3');
    expect(failure!.evidence).toContain('peer-crl.pem was not signed by a CA in peer-ca.pem');
    expect(failure!.fix).toContain('revoke -refresh');
  });

  it('fails an expired CRL and warns of one expiring within the threshold', async () => {
    const files = copyBundle(clean);
    const now = Date.now();
    put(files, 'etcd1/client-crl.pem', await crlOf(bundleAuthority(files), [], new Date(now - 10 * DAY), new Date(now - DAY)));
    put(files, 'etcd2/peer-crl.pem', await crlOf(peerCa(files), [], new Date(now - DAY), new Date(now + 5 * DAY)));
    const report = await doctorBundle(files);
    expect(expectFail(report, 'trust.crl', 'etcd1')[0]!.evidence).toContain('client-crl.pem expired');
    const [warning] = findings(report, 'trust.crl', 'etcd2', 'WARN');
    expect(warning?.evidence).toContain('peer-crl.pem expires');
    expect(warning?.fix).toContain('etcd-pki revoke -out DIR -refresh');
  });

  it("fails a CRL that revokes the member's own peer certificate: the others would refuse it", async () => {
    const files = copyBundle(clean);
    const own = parseCertificate(text(files, 'etcd2/etcd2-peer.pem')).serial;
    put(files, 'etcd2/peer-crl.pem', await crlOf(peerCa(files), [own], new Date(Date.now() - DAY), new Date(Date.now() + 300 * DAY)));
    const [failure] = expectFail(await doctorBundle(files), 'trust.crl', 'etcd2');
    expect(failure!.evidence).toContain("revokes the member's own peer certificate etcd2-peer.pem");
  });

  it('warns of listen-client-http-urls beside a client CRL (GHSA-3wh4-j44w-pg92)', async () => {
    const files = copyBundle(clean);
    setEnv(files, 'etcd1', 'ETCD_LISTEN_CLIENT_HTTP_URLS', 'https://192.168.0.91:2381');
    const [warning] = findings(await doctorBundle(files), 'trust.crl-http-split', 'etcd1', 'WARN');
    expect(warning?.evidence).toContain('GHSA-3wh4-j44w-pg92');
    expect(warning?.fix).toContain('3.5.32');
  });
});
