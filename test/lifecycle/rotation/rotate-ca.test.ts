import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../../src/bundle/manifest.js';
import type { EndpointObservation } from '../../../src/lifecycle/deployment.js';
import { planCaRotation, type PlanCaRotationOptions } from '../../../src/lifecycle/rotation/rotate-ca.js';
import { rotatedCommonName } from '../../../src/lifecycle/rotation/phases.js';
import { assertNoRotationInProgress, readRotationState } from '../../../src/bundle/rotation-state.js';
import { rotationStatus } from '../../../src/lifecycle/rotation/status.js';
import { renderSteps } from '../../../src/lifecycle/steps.js';
import { expectPkiError, expectPkiErrorSync } from '../../support/errors.js';
import { opensslVerify } from '../../support/openssl.js';
import { apply, certificateCount, crypto, makeBundle, text } from '../bundle.js';

const NOW = new Date('2026-06-02T10:00:00Z');
const TRUST_FILES = ['etcd1/ca.pem', 'etcd2/ca.pem', 'etcd3/ca.pem', 'etcdctl/ca.pem', 'kube-apiserver/ca.pem'];
const LEAVES = [
  'etcd1/etcd1.pem',
  'etcd1/etcd1-peer.pem',
  'etcd2/etcd2.pem',
  'etcd2/etcd2-peer.pem',
  'etcd3/etcd3.pem',
  'etcd3/etcd3-peer.pem',
  'etcdctl/etcdctl.pem',
  'kube-apiserver/kube-apiserver.pem',
];
const x509 = (bundle: ReadonlyMap<string, Uint8Array>, path: string) => new X509Certificate(text(bundle, path));

async function phase(bundle: ReadonlyMap<string, Uint8Array>, n: 1 | 2 | 3, options: Partial<PlanCaRotationOptions> = {}) {
  const plan = await planCaRotation({
    bundle,
    phase: n,
    now: NOW,
    crypto,
    ...(n > 1 ? { deployment: { assumed: true } } : {}),
    ...options,
  });
  return { plan, bundle: apply(bundle, plan, plan.removals) };
}

describe('planCaRotation', () => {
  let original: Map<string, Uint8Array>;
  let afterOne: Map<string, Uint8Array>;
  let afterTwo: Map<string, Uint8Array>;
  let afterThree: Map<string, Uint8Array>;
  beforeAll(async () => {
    original = await makeBundle();
    afterOne = (await phase(original, 1)).bundle;
    afterTwo = (await phase(afterOne, 2)).bundle;
    afterThree = (await phase(afterTwo, 3)).bundle;
  });

  describe('phase 1', () => {
    it("makes a new CA like the old one and puts old + new into every member's and client's ca.pem", async () => {
      const { plan } = await phase(original, 1);
      expect(plan.files.map((f) => f.path)).toEqual([
        'ca/new-ca-key.pem',
        'ca/new-ca.pem',
        ...TRUST_FILES,
        'manifest.json',
        'rotation.json',
      ]);
      expect(plan.removals).toEqual([]);
      const next = x509(afterOne, 'ca/new-ca.pem');
      expect(next.subject).toBe('CN=ETCD Root CA 2026-06-02');
      expect(next.ca).toBe(true);
      expect(next.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      for (const path of TRUST_FILES) {
        expect(text(afterOne, path)).toBe(text(original, 'ca/ca.pem') + text(afterOne, 'ca/new-ca.pem'));
      }
      expect(text(afterOne, 'ca/ca.pem')).toBe(text(original, 'ca/ca.pem'));
      for (const leaf of LEAVES) expect(text(afterOne, leaf)).toBe(text(original, leaf));
    });

    it('records the phase in rotation.json and the new files in manifest.json', () => {
      const state = readRotationState(afterOne.get('rotation.json')!);
      expect(state.phases).toEqual([{ phase: 1, writtenAt: '2026-06-02T10:00:00Z' }]);
      expect(state.oldCa.fingerprint).toBe(x509(original, 'ca/ca.pem').fingerprint256);
      expect(state.newCa.fingerprint).toBe(x509(afterOne, 'ca/new-ca.pem').fingerprint256);
      const manifest = JSON.parse(text(afterOne, 'manifest.json')) as BundleManifest;
      expect(manifest.files.filter((f) => f.path.startsWith('ca/')).map((f) => `${f.path} ${f.role} ${f.mode}`)).toEqual([
        'ca/ca.pem ca-certificate 0644',
        'ca/ca-key.pem ca-key 0600',
        'ca/client-crl.pem crl 0644',
        'ca/peer-crl.pem crl 0644',
        'ca/new-ca.pem ca-certificate 0644',
        'ca/new-ca-key.pem ca-key 0600',
      ]);
    });

    it('says to copy the ca.pem files and restart every member, one at a time', async () => {
      const { plan } = await phase(original, 1);
      const steps = renderSteps(plan.steps, 'OUT');
      expect(steps).toContain(
        '1. copy OUT/etcd1/ to member etcd1 (127.0.0.31) and run its install.sh there as root; it installs:\n     OUT/etcd1/ca.pem -> /etc/etcd/pki/ca.pem',
      );
      expect(steps).toContain(
        '6. restart the members one at a time (etcd reads ETCD_TRUSTED_CA_FILE and ETCD_PEER_TRUSTED_CA_FILE only when it starts',
      );
      expect(steps).toContain(
        'etcd1 (127.0.0.31), etcd2 (127.0.0.32), etcd3 (127.0.0.33), with the leader last:\n     find it first with etcdctl endpoint status --cluster -w table (IS LEADER)',
      );
      // Told the leader (rotate-ca -verify asks the cluster), it orders the restart (issue 16, item 5).
      const ordered = renderSteps((await planCaRotation({ bundle: original, phase: 1, now: NOW, crypto, leader: 'etcd1' })).steps, 'OUT');
      expect(ordered).toContain('etcd2 (127.0.0.32), then etcd3 (127.0.0.33), then etcd1 (127.0.0.31)\n     etcd1 is the leader now');
      expect(steps).toContain('etcd-pki rotate-ca -phase 2 -out OUT -verify');
    });

    it('takes a common name, or a CA made elsewhere', async () => {
      const named = await phase(original, 1, { commonName: 'Example etcd CA 2' });
      expect(x509(named.bundle, 'ca/new-ca.pem').subject).toBe('CN=Example etcd CA 2');
      const donor = await makeBundle();
      const { loadCertificateAuthority } = await import('../../../src/signing/authority.js');
      const newCa = loadCertificateAuthority({ certificate: donor.get('ca/ca.pem')!, key: donor.get('ca/ca-key.pem')! });
      const given = await phase(original, 1, { newCa });
      expect(text(given.bundle, 'ca/new-ca.pem')).toBe(text(donor, 'ca/ca.pem'));
    });

    it('reuses the new CA an interrupted phase 1 left behind', async () => {
      const interrupted = new Map(original);
      interrupted.set('ca/new-ca.pem', afterOne.get('ca/new-ca.pem')!);
      interrupted.set('ca/new-ca-key.pem', afterOne.get('ca/new-ca-key.pem')!);
      const { plan, bundle } = await phase(interrupted, 1);
      expect(text(bundle, 'ca/new-ca.pem')).toBe(text(afterOne, 'ca/new-ca.pem'));
      expect(plan.warnings).toEqual(['ca/new-ca.pem was left by an interrupted phase 1; it is the new CA']);
    });
  });

  describe('phase 2', () => {
    it('issues every certificate again from the new CA, keeping subjects, SANs and keys', () => {
      const next = x509(afterOne, 'ca/new-ca.pem');
      for (const leaf of LEAVES) {
        const [old, renewed] = [x509(original, leaf), x509(afterTwo, leaf)];
        expect(renewed.checkIssued(next), leaf).toBe(true);
        expect(renewed.subject).toBe(old.subject);
        expect(renewed.subjectAltName).toBe(old.subjectAltName);
        expect(renewed.publicKey.export({ type: 'spki', format: 'der' })).toEqual(old.publicKey.export({ type: 'spki', format: 'der' }));
      }
    });

    it('makes the new CA the issuing ca/ca.pem and keeps the old one, still trusted, as ca/old-ca.pem', () => {
      expect(text(afterTwo, 'ca/ca.pem')).toBe(text(afterOne, 'ca/new-ca.pem'));
      expect(text(afterTwo, 'ca/ca-key.pem')).toBe(text(afterOne, 'ca/new-ca-key.pem'));
      expect(text(afterTwo, 'ca/old-ca.pem')).toBe(text(original, 'ca/ca.pem'));
      expect(text(afterTwo, 'ca/old-ca-key.pem')).toBe(text(original, 'ca/ca-key.pem'));
      expect(afterTwo.has('ca/new-ca.pem')).toBe(false);
      for (const path of TRUST_FILES) expect(certificateCount(afterTwo, path)).toBe(2);
      const manifest = JSON.parse(text(afterTwo, 'manifest.json')) as BundleManifest;
      expect(manifest.cluster.ca?.CN).toBe('ETCD Root CA 2026-06-02');
      expect(manifest.files.some((f) => f.path === 'ca/new-ca.pem')).toBe(false);
      expect(manifest.files.find((f) => f.path === 'ca/ca.pem')?.certificate?.fingerprint).toBe(x509(afterTwo, 'ca/ca.pem').fingerprint256);
    });

    it('copies the old CA key aside before replacing ca/ca-key.pem, in one write', async () => {
      const { plan } = await phase(afterOne, 2);
      const paths = plan.files.map((f) => f.path);
      expect(paths.indexOf('ca/old-ca-key.pem')).toBeLessThan(paths.indexOf('ca/ca-key.pem'));
      expect(paths.at(-1)).toBe('rotation.json');
      expect(plan.removals).toEqual(['ca/new-ca.pem', 'ca/new-ca-key.pem']);
    });

    it('verifies with openssl against the two-CA trust file, for server and client use', async () => {
      await opensslVerify(text(afterTwo, 'etcd1/ca.pem'), text(afterTwo, 'etcd1/etcd1.pem'), { purpose: 'sslserver' });
      await opensslVerify(text(afterTwo, 'etcdctl/ca.pem'), text(afterTwo, 'etcdctl/etcdctl.pem'), { purpose: 'sslclient' });
      await opensslVerify(text(afterTwo, 'etcd1/ca.pem'), text(original, 'etcd1/etcd1.pem'), { purpose: 'sslserver' });
    });

    it('needs no restart and says so', async () => {
      const { plan } = await phase(afterOne, 2);
      expect(plan.steps.map((s) => s.kind)).toEqual(['copy', 'copy', 'copy', 'copy', 'copy', 'no-restart', 'note', 'next']);
    });

    it('runs again after an interruption between its files and rotation.json', async () => {
      const { plan } = await phase(afterOne, 2);
      const interrupted = apply(afterOne, { files: plan.files.filter((f) => f.path !== 'rotation.json') });
      const again = await phase(interrupted, 2);
      expect(readRotationState(again.bundle.get('rotation.json')!).phases.map((p) => p.phase)).toEqual([1, 2]);
      expect(text(again.bundle, 'ca/old-ca.pem')).toBe(text(original, 'ca/ca.pem'));
    });
  });

  describe('phase 3', () => {
    it('leaves only the new CA in every ca.pem and archives the old CA and key', async () => {
      const { plan } = await phase(afterTwo, 3);
      for (const path of TRUST_FILES) expect(text(afterThree, path)).toBe(text(afterTwo, 'ca/ca.pem'));
      const state = readRotationState(afterThree.get('rotation.json')!);
      expect(state.retired).toEqual({ certificate: 'ca/retired-20260602T100000Z-ca.pem', key: 'ca/retired-20260602T100000Z-ca-key.pem' });
      expect(text(afterThree, state.retired!.certificate)).toBe(text(original, 'ca/ca.pem'));
      expect(text(afterThree, state.retired!.key!)).toBe(text(original, 'ca/ca-key.pem'));
      expect(plan.removals).toEqual(['ca/old-ca.pem', 'ca/old-ca-key.pem']);
      expect(plan.files.find((f) => f.path === state.retired!.key)?.mode).toBe(0o600);
      const steps = renderSteps(plan.steps, 'OUT');
      expect(steps).toContain('restart the members one at a time');
      expect(steps).toContain('until restarted, a member still accepts certificates from the old CA');
      expect(steps).toContain('archived as ca/retired-20260602T100000Z-ca.pem and ca/retired-20260602T100000Z-ca-key.pem');
    });

    it('leaves a bundle that refuses old certificates and accepts new ones (openssl)', async () => {
      await opensslVerify(text(afterThree, 'etcd2/ca.pem'), text(afterThree, 'etcd2/etcd2-peer.pem'), { purpose: 'sslclient' });
      await expect(opensslVerify(text(afterThree, 'etcd2/ca.pem'), text(original, 'etcd2/etcd2-peer.pem'))).rejects.toThrow(
        /unable to get local issuer/,
      );
    });
  });

  describe('order and completeness', () => {
    it.each([
      { name: 'phase 2 before phase 1', from: 'original', n: 2, message: 'phase 2 needs phase 1 first: no CA rotation has started' },
      { name: 'phase 3 before phase 2', from: 'afterOne', n: 3, message: 'phase 3 needs phase 2 first (the rotation is at phase 1)' },
      { name: 'phase 1 again mid-rotation', from: 'afterTwo', n: 1, message: 'a CA rotation is in progress (phase 2 written)' },
    ] as const)('refuses $name', async ({ from, n, message }) => {
      const bundle = { original, afterOne, afterTwo }[from];
      await expectPkiError(() => planCaRotation({ bundle, phase: n, deployment: { assumed: true }, now: NOW, crypto }), {
        code: 'INVALID_CLUSTER',
        message,
      });
    });

    it.each([
      { from: 'afterOne', n: 1 },
      { from: 'afterTwo', n: 2 },
    ] as const)(
      'runs phase $n again over an intact bundle (a run killed after rotation.json): changes nothing, says its steps (issue 16, item 6)',
      async ({ from, n }) => {
        const bundle = { original, afterOne, afterTwo }[from];
        const plan = await planCaRotation({ bundle, phase: n, now: NOW, crypto });
        expect(plan.restored).toBe(true);
        for (const file of plan.files) expect(Buffer.from(bundle.get(file.path)!).equals(Buffer.from(file.contents)), file.path).toBe(true);
        expect(plan.steps.some((s) => s.kind === 'copy')).toBe(true);
      },
    );

    it('refuses phase 2 when nothing shows phase 1 is deployed', async () => {
      await expectPkiError(() => planCaRotation({ bundle: afterOne, phase: 2, now: NOW, crypto }), {
        code: 'INVALID_CLUSTER',
        message: 'phase 1 must be deployed before the next phase starts',
        hint: ['-endpoint', '-verify', '--assume-deployed'],
      });
    });

    it('refuses phase 2 when a trust file lost the new CA (cluster-bundle run over the bundle mid-rotation)', async () => {
      const reverted = new Map(afterOne);
      reverted.set('etcd2/ca.pem', original.get('etcd2/ca.pem')!);
      await expectPkiError(() => phase(reverted, 2), {
        code: 'INVALID_CLUSTER',
        message: 'no longer as phase 1 left it: etcd2/ca.pem should hold the old and the new CA after phase 1, but holds "ETCD Root CA"',
        hint: 'rotate-ca -phase 1 again',
      });
    });

    it('restores what phase 1 wrote when it is run again over a bundle that lost it', async () => {
      const reverted = new Map(afterOne);
      reverted.set('etcd2/ca.pem', original.get('etcd2/ca.pem')!);
      const { plan, bundle } = await phase(reverted, 1);
      expect(plan.restored).toBe(true);
      expect(plan.files.map((f) => f.path)).toEqual(['etcd2/ca.pem', 'manifest.json', 'rotation.json']);
      expect(plan.warnings[0]).toContain('restored what phase 1 had written: etcd2/ca.pem should hold the old and the new CA');
      expect(text(bundle, 'etcd2/ca.pem')).toBe(text(afterOne, 'etcd2/ca.pem'));
      expect(text(bundle, 'rotation.json')).toBe(text(afterOne, 'rotation.json'));
      expect((await phase(bundle, 2)).plan.restored).toBe(false);
    });

    it('restores phase 2 after cluster-bundle rewrote the trust files and an old certificate came back', async () => {
      const damaged = new Map(afterTwo);
      for (const path of TRUST_FILES) damaged.set(path, afterTwo.get('ca/ca.pem')!);
      damaged.set('etcd3/etcd3-peer.pem', original.get('etcd3/etcd3-peer.pem')!);
      const status = await rotationStatus({ bundle: damaged });
      expect(status.integrity).toHaveLength(6);
      expect(status.next).toBe('the bundle is no longer as phase 2 left it; run etcd-pki rotate-ca -phase 2 again to restore its files');
      const { plan, bundle } = await phase(damaged, 2);
      expect(plan.files.map((f) => f.path)).toEqual([...TRUST_FILES, 'etcd3/etcd3-peer.pem', 'manifest.json', 'rotation.json']);
      expect((await rotationStatus({ bundle })).integrity).toEqual([]);
      expect(x509(bundle, 'etcd3/etcd3-peer.pem').checkIssued(x509(bundle, 'ca/ca.pem'))).toBe(true);
    });

    it('refuses phase 3 when a certificate is not from the new CA', async () => {
      const stale = new Map(afterTwo);
      stale.set('etcdctl/etcdctl.pem', original.get('etcdctl/etcdctl.pem')!);
      await expectPkiError(() => phase(stale, 3), { code: 'INVALID_CLUSTER', message: 'etcdctl/etcdctl.pem is not issued by the new CA' });
    });

    it('records how the previous phase was known to be deployed', () => {
      const state = readRotationState(afterThree.get('rotation.json')!);
      expect(state.phases.map((p) => [p.phase, p.previousDeployed?.how])).toEqual([
        [1, undefined],
        [2, 'assumed'],
        [3, 'assumed'],
      ]);
    });

    it('starts a new rotation after phase 3, keeping the last one in the history', async () => {
      await expectPkiError(() => planCaRotation({ bundle: afterThree, phase: 1, now: NOW, crypto }), {
        code: 'INVALID_CLUSTER',
        message: 'phase 3 must be deployed',
      });
      const { bundle } = await phase(afterThree, 1, { deployment: { assumed: true }, now: new Date('2027-01-01T00:00:00Z') });
      const state = readRotationState(bundle.get('rotation.json')!);
      expect(state.oldCa.commonName).toBe('ETCD Root CA 2026-06-02');
      expect(state.newCa.commonName).toBe('ETCD Root CA 2027-01-01');
      expect(state.history?.map((h) => h.oldCa.commonName)).toEqual(['ETCD Root CA']);
    });

    it('lets cluster-bundle and add-member tell that a rotation is in progress', () => {
      expect(() => assertNoRotationInProgress(original)).not.toThrow();
      expectPkiErrorSync(() => assertNoRotationInProgress(afterTwo), {
        code: 'INVALID_CLUSTER',
        message: 'phase 2 of 3 written',
        hint: '-phase 3',
      });
      expect(() => assertNoRotationInProgress(afterThree)).not.toThrow();
    });
  });

  describe('deployment checked on observations', () => {
    const urls = (ports: readonly number[]) => ['31', '32', '33'].flatMap((n) => ports.map((p) => `https://127.0.0.${n}:${p}`));
    const observe = (make: (url: string) => Partial<EndpointObservation>, ports: readonly number[] = [2379, 2380]): EndpointObservation[] =>
      urls(ports).map((url) => ({ url, ...make(url) }));

    it('refuses phase 2 until every member port accepts a client certificate from the new CA', async () => {
      const error = await expectPkiError(
        () => phase(afterOne, 2, { deployment: { observations: observe((url) => ({ acceptsNewCaClient: !url.includes('.32:') })) } }),
        { code: 'INVALID_CLUSTER', message: 'phase 1 is not deployed on the cluster yet' },
      );
      expect(error.message).toContain('https://127.0.0.32:2379 refuses a client certificate from the new CA: restart etcd2');
      expect(error.message).toContain('https://127.0.0.32:2380 refuses');
      expect(error.message).not.toContain('127.0.0.31');
    });

    it('refuses when a member port was not probed', async () => {
      await expectPkiError(
        () => phase(afterOne, 2, { deployment: { observations: observe(() => ({ acceptsNewCaClient: true }), [2379]) } }),
        {
          code: 'INVALID_CLUSTER',
          message: "etcd1's peer port (2380) was not probed",
        },
      );
    });

    it('starts phase 2 when every port accepts the new CA, recording the endpoints', async () => {
      const observations = observe(() => ({ acceptsNewCaClient: true }));
      const { plan } = await phase(afterOne, 2, { deployment: { observations } });
      expect(plan.assessment?.deployed).toBe(true);
      expect(plan.state.phases.at(-1)?.previousDeployed).toEqual({ how: 'verified', endpoints: urls([2379, 2380]) });
    });

    it('starts phase 3 only when every port serves a certificate from the new CA', async () => {
      const served = (bundle: ReadonlyMap<string, Uint8Array>) => (url: string) => {
        const member = `etcd${url.slice(16, 17)}`;
        const file = url.endsWith(':2380') ? `${member}/${member}-peer.pem` : `${member}/${member}.pem`;
        return { acceptsNewCaClient: true, served: new Uint8Array(x509(bundle, file).raw) };
      };
      const error = await expectPkiError(() => phase(afterTwo, 3, { deployment: { observations: observe(served(original)) } }), {
        code: 'INVALID_CLUSTER',
        message: 'https://127.0.0.31:2379 serves a certificate issued by "ETCD Root CA", not by the new CA',
      });
      expect(error.hint).toContain('rotate-ca status');
      const { plan } = await phase(afterTwo, 3, { deployment: { observations: observe(served(afterTwo)) } });
      expect(plan.assessment?.deployed).toBe(true);
    });

    it('reports phase 3 deployed only once the old CA is refused everywhere', async () => {
      const served = (url: string) => {
        const member = `etcd${url.slice(16, 17)}`;
        return new Uint8Array(x509(afterThree, url.endsWith(':2380') ? `${member}/${member}-peer.pem` : `${member}/${member}.pem`).raw);
      };
      const before = await rotationStatus({
        bundle: afterThree,
        observations: observe((url) => ({ acceptsNewCaClient: true, acceptsOldCaClient: true, served: served(url) })),
      });
      expect(before.assessment?.deployed).toBe(false);
      expect(before.assessment?.findings[0]?.text).toBe(
        'https://127.0.0.31:2379 still accepts a client certificate from the old CA: restart etcd1 (etcd keeps the trusted CAs it read at start)',
      );
      const after = await rotationStatus({
        bundle: afterThree,
        observations: observe((url) => ({ acceptsNewCaClient: true, acceptsOldCaClient: false, served: served(url) })),
      });
      expect(after).toMatchObject({ phase: 3, integrity: [], next: 'phase 3 is deployed; the rotation is complete' });
    });

    it('says a port could not be reached', async () => {
      const status = await rotationStatus({ bundle: afterOne, observations: observe(() => ({ error: 'ECONNREFUSED' })) });
      expect(status.assessment?.findings[0]?.text).toBe('https://127.0.0.31:2379 could not be reached: ECONNREFUSED');
    });
  });
});

describe('rotationStatus without observations', () => {
  it('reports no rotation, then each phase as written', async () => {
    const bundle = await makeBundle();
    expect(await rotationStatus({ bundle })).toEqual({ phase: 0, integrity: [], next: expect.stringContaining('rotate-ca -phase 1') });
    const { bundle: one } = await phase(bundle, 1);
    expect(await rotationStatus({ bundle: one })).toMatchObject({ phase: 1, integrity: [], next: expect.stringContaining('-verify') });
  });
});

describe('rotatedCommonName', () => {
  it.each([
    { old: 'ETCD Root CA', name: 'ETCD Root CA 2026-06-02' },
    { old: 'ETCD Root CA 2025-01-01', name: 'ETCD Root CA 2026-06-02' },
    { old: 'ETCD Root CA 2026-06-02', name: 'ETCD Root CA 2026-06-02T1000Z' },
  ])('names the CA after $old $name', ({ old, name }) => {
    expect(rotatedCommonName(old, NOW)).toBe(name);
  });
});
