import { describe, expect, it } from 'vitest';
import { createPkiCrypto } from '../../src/crypto.js';
import { resolveBundleAuthority } from '../../src/bundle/authority.js';
import { loadClusterDescription } from '../../src/bundle/load.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { expectPkiError } from '../support/errors.js';
import { fixture } from '../support/fixtures.js';
import { x509Text } from '../support/openssl.js';

const crypto = createPkiCrypto();
const now = new Date('2026-11-25T12:00:00Z');
const cluster = loadClusterDescription(fixture('cluster/every-option.json'));
const encode = (value: string | Uint8Array) => (typeof value === 'string' ? new TextEncoder().encode(value) : value);

describe('resolveBundleAuthority', () => {
  it("makes a new root CA from the description's CN, names, key and validity", async () => {
    const made = await resolveBundleAuthority({ cluster, existing: new Map(), now, crypto });
    expect(made.status).toBe('new');
    const text = await x509Text(String(made.certificate));
    expect(text.subject).toContain('CN = Example etcd CA');
    expect(text.publicKey.curve).toMatch(/P-384|secp384r1/);
    expect(made.authority.certificate.notAfter.getTime() - made.authority.certificate.notBefore.getTime()).toBe(87600 * 3_600_000);
    expect(String(made.key)).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
  });

  it('keeps the CA of an earlier run, byte for byte', async () => {
    const made = await resolveBundleAuthority({ cluster, existing: new Map(), now, crypto });
    const existing = new Map([
      ['ca/ca.pem', encode(made.certificate)],
      ['ca/ca-key.pem', encode(made.key!)],
    ]);
    const kept = await resolveBundleAuthority({ cluster, existing, now, crypto });
    expect(kept.status).toBe('kept');
    expect(kept.certificate).toBe(existing.get('ca/ca.pem'));
    expect(kept.key).toBe(existing.get('ca/ca-key.pem'));
  });

  it('refuses a CA key that does not match the bundle CA certificate', async () => {
    const a = await resolveBundleAuthority({ cluster, existing: new Map(), now, crypto });
    const b = await resolveBundleAuthority({ cluster, existing: new Map(), now, crypto });
    const existing = new Map([
      ['ca/ca.pem', encode(a.certificate)],
      ['ca/ca-key.pem', encode(b.key!)],
    ]);
    await expectPkiError(() => resolveBundleAuthority({ cluster, existing, now, crypto }), { code: 'KEY_MISMATCH', file: 'ca/ca-key.pem' });
  });

  it('uses an external CA without its key, and keeps using it', async () => {
    const ca = loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });
    const external = await resolveBundleAuthority({ cluster, ca, existing: new Map(), now, crypto });
    expect(external).toMatchObject({ status: 'external', certificate: ca.certificate.pem });
    expect(external.key).toBeUndefined();
    const again = await resolveBundleAuthority({
      cluster,
      ca,
      existing: new Map([['ca/ca.pem', encode(external.certificate)]]),
      now,
      crypto,
    });
    expect(again.status).toBe('external');
  });
});
