import { beforeAll, describe, expect, it } from 'vitest';
import { createPkiCrypto } from '../../src/crypto.js';
import { provideCredential, type ProvideCredentialContext } from '../../src/bundle/credentials.js';
import { loadClusterDescription } from '../../src/bundle/load.js';
import { credentialRequests } from '../../src/bundle/requests.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import { initCA } from '../../src/signing/operations.js';
import type { CertificateAuthority } from '../../src/signing/authority.js';
import { fixture } from '../support/fixtures.js';

const crypto = createPkiCrypto();
const now = new Date('2026-11-25T12:00:00Z');
const [server, peer] = credentialRequests(loadClusterDescription(fixture('cluster/walkthrough.json')));
const bytes = (value: string | Uint8Array) => (typeof value === 'string' ? new TextEncoder().encode(value) : value);

describe('provideCredential', () => {
  let ca: CertificateAuthority;
  let context: ProvideCredentialContext;
  beforeAll(async () => {
    ca = (await initCA({ request: normaliseCertificateRequest({ CN: 'test CA' }), now, crypto })).authority;
    context = { ca, existing: new Map(), now, crypto, force: false };
  });

  it('issues a new key and certificate when there is none', async () => {
    const made = await provideCredential(server!, context);
    expect(made.status).toBe('issued');
    expect(made.sans).toEqual(['localhost', '192.168.0.91', '127.0.0.1', '::1']);
    expect(made.notAfter.toISOString()).toBe('2027-11-25T11:55:00.000Z');
  });

  it('keeps a fitting pair byte for byte', async () => {
    const made = await provideCredential(server!, context);
    const existing = new Map([
      ['etcd1/etcd1.pem', bytes(made.certificate)],
      ['etcd1/etcd1-key.pem', bytes(made.key)],
    ]);
    const kept = await provideCredential(server!, { ...context, existing });
    expect(kept.status).toBe('kept');
    expect(kept.certificate).toBe(existing.get('etcd1/etcd1.pem'));
    expect(kept.key).toBe(existing.get('etcd1/etcd1-key.pem'));
  });

  it('re-issues a certificate that is not for its key, keeping the key', async () => {
    const a = await provideCredential(server!, context);
    const b = await provideCredential(server!, context);
    const existing = new Map([
      ['etcd1/etcd1.pem', bytes(a.certificate)],
      ['etcd1/etcd1-key.pem', bytes(b.key)],
    ]);
    const fixed = await provideCredential(server!, { ...context, existing });
    expect([fixed.status, fixed.reason]).toEqual(['reissued', 'its certificate is not for its key']);
    expect(fixed.key).toBe(existing.get('etcd1/etcd1-key.pem'));
  });

  it('re-issues a certificate lacking a usage of its role (a server-auth-only server certificate)', async () => {
    const serverOnly = { ...peer!, profile: { ...peer!.profile, extKeyUsage: [peer!.profile.extKeyUsage[0]!] } };
    const made = await provideCredential(serverOnly, context);
    const existing = new Map([
      ['etcd1/etcd1-peer.pem', bytes(made.certificate)],
      ['etcd1/etcd1-peer-key.pem', bytes(made.key)],
    ]);
    const fixed = await provideCredential(peer!, { ...context, existing });
    expect([fixed.status, fixed.reason]).toEqual(['reissued', 'its certificate lacks a usage its role needs']);
  });

  it('re-issues an unreadable certificate', async () => {
    const made = await provideCredential(server!, context);
    const existing = new Map([
      ['etcd1/etcd1.pem', new TextEncoder().encode('not a certificate')],
      ['etcd1/etcd1-key.pem', bytes(made.key)],
    ]);
    expect((await provideCredential(server!, { ...context, existing })).reason).toBe('its certificate could not be read');
  });
});
