import { createHash, X509Certificate } from 'node:crypto';
import { expect } from 'vitest';
import type { KeySpec } from '../../src/keys/algorithms.js';
import { extension, opensslVerify, sanEntries, x509Text, type OpensslText, type VerifyOptions } from './openssl.js';

/** How openssl names the signature algorithm cfssl picks for an issuer key. */
export function opensslSignatureName(issuer: KeySpec): string {
  switch (issuer.algo) {
    case 'ed25519':
      return 'ED25519';
    case 'ecdsa':
      return { 256: 'ecdsa-with-SHA256', 384: 'ecdsa-with-SHA384', 521: 'ecdsa-with-SHA512' }[issuer.size];
    case 'rsa':
      return issuer.size >= 4096 ? 'sha512WithRSAEncryption' : issuer.size >= 3072 ? 'sha384WithRSAEncryption' : 'sha256WithRSAEncryption';
  }
}

/** What openssl prints as the public key of a certificate for `spec`. */
export function opensslPublicKey(spec: KeySpec): OpensslText['publicKey'] {
  switch (spec.algo) {
    case 'ed25519':
      return { algorithm: 'ED25519' };
    case 'ecdsa':
      return { algorithm: 'id-ecPublicKey', bits: spec.size, curve: `P-${spec.size}` };
    case 'rsa':
      return { algorithm: 'rsaEncryption', bits: spec.size };
  }
}

/** cfssl's validity: NotBefore = now rounded to the minute - backdate, NotAfter = NotBefore + expiry. */
export function expectedWindow(now: Date, expiryMs: number, backdateMs = 5 * 60_000): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.round(now.getTime() / 60_000) * 60_000 - backdateMs);
  return { notBefore, notAfter: new Date(notBefore.getTime() + expiryMs) };
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1), computed here independently. */
export function keyIdOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING }: the BIT STRING is the last TLV.
  const bits = lastTlvContents(spki).subarray(1); // drop the unused-bits octet
  return createHash('sha1').update(bits).digest('hex').toUpperCase().match(/../g)!.join(':');
}

function lastTlvContents(der: Buffer): Buffer {
  const { start } = header(der, 0);
  let at = start;
  let last: Buffer = Buffer.alloc(0);
  while (at < der.length) {
    const h = header(der, at);
    last = der.subarray(h.start, h.start + h.length);
    at = h.start + h.length;
  }
  return last;
}

function header(der: Buffer, at: number): { start: number; length: number } {
  const first = der[at + 1]!;
  if (first < 0x80) return { start: at + 2, length: first };
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + der[at + 2 + i]!;
  return { start: at + 2 + n, length };
}

/**
 * The DER INTEGER contents length of a positive serial openssl printed as `hex` (its magnitude):
 * one more byte when the top bit is set, for the leading zero that keeps it positive.
 */
export function serialDerLength(hex: string): number {
  return hex.length / 2 + (Number.parseInt(hex.slice(0, 2), 16) >= 0x80 ? 1 : 0);
}

export interface ExpectedCertificate {
  readonly issuerKey: KeySpec;
  readonly subjectKey: KeySpec;
  /** openssl's one-line form, e.g. "C = US, ST = San Francisco, L = CA, CN = ETCD Root CA". */
  readonly subject: string;
  readonly issuer: string;
  /** openssl's text of KeyUsage, e.g. "Digital Signature, Key Encipherment". */
  readonly keyUsage: string;
  /** openssl's text of ExtendedKeyUsage; undefined when there must be none. */
  readonly extKeyUsage?: string;
  /** "CA:FALSE", "CA:TRUE", "CA:TRUE, pathlen:1". */
  readonly basicConstraints: string;
  /** openssl's SAN entries in order; undefined or [] when there must be none. */
  readonly sans?: readonly string[];
  /** The issuer's certificate, whose SKI must be the AKI; undefined for a self-signed root. */
  readonly issuerCert?: string;
  /** The validity expected, exactly. */
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** openssl's extension names in order. */
  readonly extensionOrder?: readonly string[];
}

/**
 * Checks a certificate the way the issue asks: openssl parses it and each field is compared:
 * version, serial size and sign, signature algorithm, key, names, validity, each extension and its
 * criticality, SANs, SKI/AKI. Returns openssl's parse for further checks.
 */
export async function expectCertificate(pem: string, expected: ExpectedCertificate): Promise<OpensslText> {
  const text = await x509Text(pem);
  expect(text.version).toBe(3);
  // RFC 5280 4.1.2.2: positive, at most 20 octets of DER INTEGER contents.
  expect(text.serialNegative).toBe(false);
  expect(text.serialHex.length).toBeGreaterThan(0);
  expect(serialDerLength(text.serialHex)).toBeLessThanOrEqual(20);
  expect(text.signatureAlgorithm).toBe(opensslSignatureName(expected.issuerKey));
  expect(text.publicKey).toEqual(opensslPublicKey(expected.subjectKey));
  expect(text.subject).toBe(expected.subject);
  expect(text.issuer).toBe(expected.issuer);
  expect(text.notBefore.toISOString()).toBe(expected.notBefore.toISOString());
  expect(text.notAfter.toISOString()).toBe(expected.notAfter.toISOString());

  const ku = extension(text, 'Key Usage');
  expect(ku).toEqual({ name: 'X509v3 Key Usage', critical: true, value: expected.keyUsage });
  const eku = extension(text, 'Extended Key Usage');
  if (expected.extKeyUsage === undefined) expect(eku).toBeUndefined();
  else expect(eku).toEqual({ name: 'X509v3 Extended Key Usage', critical: false, value: expected.extKeyUsage });
  expect(extension(text, 'Basic Constraints')).toEqual({
    name: 'X509v3 Basic Constraints',
    critical: true,
    value: expected.basicConstraints,
  });
  expect(extension(text, 'Subject Key Identifier')).toEqual({
    name: 'X509v3 Subject Key Identifier',
    critical: false,
    value: keyIdOf(pem),
  });
  const aki = extension(text, 'Authority Key Identifier');
  if (expected.issuerCert === undefined) expect(aki).toBeUndefined();
  else expect(aki).toEqual({ name: 'X509v3 Authority Key Identifier', critical: false, value: keyIdOf(expected.issuerCert) });
  const sans = expected.sans ?? [];
  if (sans.length === 0) expect(extension(text, 'Subject Alternative Name')).toBeUndefined();
  else {
    expect(extension(text, 'Subject Alternative Name')?.critical).toBe(false);
    expect(sanEntries(text)).toEqual(sans);
  }
  if (expected.extensionOrder) expect(text.extensions.map((e) => e.name)).toEqual(expected.extensionOrder);
  return text;
}

/** openssl verify, asserting OK. */
export async function expectVerifies(caPem: string, certPem: string, options: VerifyOptions = {}): Promise<void> {
  await expect(opensslVerify(caPem, certPem, options)).resolves.toContain(': OK');
}

/** openssl verify, asserting failure with `reason` in its output. */
export async function expectDoesNotVerify(caPem: string, certPem: string, reason: string, options: VerifyOptions = {}): Promise<void> {
  await expect(opensslVerify(caPem, certPem, options)).rejects.toThrow(reason);
}

/** The extension order Go's x509 (and so cfssl) writes, as openssl names them. */
export const LEAF_EXTENSION_ORDER = [
  'X509v3 Key Usage',
  'X509v3 Extended Key Usage',
  'X509v3 Basic Constraints',
  'X509v3 Subject Key Identifier',
  'X509v3 Authority Key Identifier',
  'X509v3 Subject Alternative Name',
] as const;
export const ROOT_EXTENSION_ORDER = ['X509v3 Key Usage', 'X509v3 Basic Constraints', 'X509v3 Subject Key Identifier'] as const;
