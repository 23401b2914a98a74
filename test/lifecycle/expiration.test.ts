import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleExpirationInputs, expirationReport, formatRemaining } from '../../src/lifecycle/expiration.js';
import { formatExpirationTable } from '../../src/lifecycle/expiration-table.js';
import { readBundleInventory } from '../../src/lifecycle/inventory.js';
import { planCaRotation } from '../../src/lifecycle/rotation/rotate-ca.js';
import { MADE, apply, crypto, makeBundle, text } from './bundle.js';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

describe('expirationReport over a bundle', () => {
  let bundle: Map<string, Uint8Array>;
  beforeAll(async () => {
    bundle = await makeBundle();
  });
  const report = (now: Date, threshold = 30 * DAY) =>
    expirationReport({ certificates: bundleExpirationInputs(readBundleInventory(bundle)), now, threshold });

  it('lists each certificate once: the CA copied into every directory is one row naming every file', () => {
    const { entries } = report(MADE);
    expect(entries.map((e) => `${e.role} ${e.owners.join(',')}`)).toEqual([
      'server etcd1',
      'server etcd2',
      'server etcd3',
      'peer etcd1',
      'peer etcd2',
      'peer etcd3',
      'client etcdctl',
      'client kube-apiserver',
      'ca etcd1,etcd2,etcd3,etcdctl,kube-apiserver',
    ]);
    const ca = entries.at(-1)!;
    expect(ca.locations).toEqual(['ca/ca.pem', 'etcd1/ca.pem', 'etcd2/ca.pem', 'etcd3/ca.pem', 'etcdctl/ca.pem', 'kube-apiserver/ca.pem']);
  });

  it('gives the facts openssl gives: serial, SHA-256 fingerprint, issuer, notAfter', () => {
    const entry = report(MADE).entries.find((e) => e.role === 'peer' && e.owners[0] === 'etcd2')!;
    const x509 = new X509Certificate(text(bundle, 'etcd2/etcd2-peer.pem'));
    expect(entry.serial).toBe(x509.serialNumber);
    expect(entry.fingerprint).toBe(x509.fingerprint256);
    expect(entry.commonName).toBe('etcd2');
    expect(entry.issuerCommonName).toBe('ETCD Root CA');
    expect(entry.notAfter.getTime()).toBe(new Date(x509.validTo).getTime());
  });

  it.each([
    { name: 'all ok a day after issue', days: 1, expired: 0, expiring: 0 },
    { name: 'leaves expiring 20 days before their year ends', days: 365 - 20, expired: 0, expiring: 8 },
    { name: 'leaves expired and the CA fine a day after their year', days: 366, expired: 8, expiring: 0 },
    { name: 'the CA expiring within the threshold near its fifth year', days: 5 * 365 - 10, expired: 8, expiring: 1 },
  ])('counts $name', ({ days, expired, expiring }) => {
    const result = report(new Date(MADE.getTime() + days * DAY));
    expect({ expired: result.expired, expiring: result.expiring }).toEqual({ expired, expiring });
    for (const entry of result.entries) {
      expect(entry.remaining).toBe(entry.notAfter.getTime() - (MADE.getTime() + days * DAY));
    }
  });

  it('sorts by urgency: soonest expiry first, the CA before leaves that expire with it', () => {
    const { entries } = report(MADE, YEAR);
    const times = entries.map((e) => e.notAfter.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('leaves out a CA retired by a rotation, and shows both CAs mid-rotation', async () => {
    let rotated = apply(bundle, await planCaRotation({ bundle, phase: 1, now: MADE, crypto }));
    const mid = expirationReport({ certificates: bundleExpirationInputs(readBundleInventory(rotated)), now: MADE, threshold: DAY });
    expect(mid.entries.filter((e) => e.role === 'ca').map((e) => e.commonName)).toEqual(['ETCD Root CA', 'ETCD Root CA 2026-01-01']);
    for (const phase of [2, 3] as const) {
      const plan = await planCaRotation({ bundle: rotated, phase, deployment: { assumed: true }, now: MADE, crypto });
      rotated = apply(rotated, plan, plan.removals);
    }
    expect([...rotated.keys()].some((path) => path.startsWith('ca/retired-'))).toBe(true);
    const after = expirationReport({ certificates: bundleExpirationInputs(readBundleInventory(rotated)), now: MADE, threshold: DAY });
    expect(after.entries.filter((e) => e.role === 'ca').map((e) => e.commonName)).toEqual(['ETCD Root CA 2026-01-01']);
    expect(new Set(after.entries.map((e) => e.issuerCommonName))).toEqual(new Set(['ETCD Root CA 2026-01-01']));
  });

  it('renders a table with a summary line', () => {
    const table = formatExpirationTable(report(new Date(MADE.getTime() + 350 * DAY)));
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATUS +ROLE +MEMBER +CN +EXPIRES +REMAINING +ISSUER +SERIAL +SEEN AT$/);
    expect(lines[1]).toMatch(/^EXPIRING +server +etcd1 +etcd1 +2026-12-31T23:55:00Z +14d +ETCD Root CA +[0-9A-F]+ +etcd1\/etcd1\.pem$/);
    expect(lines.at(-2)).toMatch(/^OK +ca +\* +ETCD Root CA .* ca\/ca\.pem \(\+5\)$/);
    expect(lines.at(-1)).toBe('9 certificate(s); 0 expired, 8 expiring within 720h (30 days)');
  });
});

describe('formatRemaining', () => {
  it.each([
    { ms: 400 * DAY, text: '400d' },
    { ms: 2 * DAY, text: '2d' },
    { ms: DAY + 3 * 3_600_000, text: '27h0m' },
    { ms: 90 * 60_000, text: '1h30m' },
    { ms: 59_000, text: '0m' },
    { ms: -3 * DAY, text: '-3d' },
  ])('writes $ms ms as $text', ({ ms, text: expected }) => {
    expect(formatRemaining(ms)).toBe(expected);
  });
});
