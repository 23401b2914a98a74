import { describe, expect, it } from 'vitest';
import { algorithmIdentifier, signCertificate } from '../../src/x509/certificate.js';
import { SIGNATURE_ALGORITHMS } from '../../src/keys/algorithms.js';
import { readPrivateKey } from '../../src/keys/read.js';
import { subjectPublicKeyInfo } from '../../src/keys/write.js';
import { encodeName } from '../../src/x509/name.js';
import { basicConstraintsExtension } from '../../src/x509/extensions/basic-constraints.js';
import { keyUsageExtension } from '../../src/x509/extensions/key-usage.js';
import { encodePem } from '../../src/pem/pem.js';
import { fixture, fixturePath } from '../support/fixtures.js';
import { runOkBytes } from '../support/run.js';
import { useTempDir } from '../support/temp.js';
import { x509Text } from '../support/openssl.js';
import { expectVerifies } from '../support/issued.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => Buffer.from(text, 'latin1').toString('hex');
/** A DER TLV in hex: tag, definite length (short or long form), contents. */
function tlv(tag: string, ...contents: string[]): string {
  const body = contents.join('');
  const n = body.length / 2;
  const length =
    n < 0x80
      ? n.toString(16).padStart(2, '0')
      : n < 0x100
        ? '81' + n.toString(16).padStart(2, '0')
        : '82' + n.toString(16).padStart(4, '0');
  return tag + length + body;
}

describe('algorithmIdentifier', () => {
  it.each([
    ['sha256WithRSAEncryption', '300d06092a864886f70d01010b0500'],
    ['sha512WithRSAEncryption', '300d06092a864886f70d01010d0500'],
    ['ecdsaWithSHA256', '300a06082a8648ce3d040302'],
    ['ecdsaWithSHA384', '300a06082a8648ce3d040303'],
    ['ed25519', '300506032b6570'],
  ] as const)('encodes %s with NULL parameters for RSA only (RFC 8017, RFC 5758, RFC 8410)', (name, der) => {
    expect(hex(algorithmIdentifier(SIGNATURE_ALGORITHMS[name]))).toBe(der);
  });
});

describe('signCertificate', () => {
  const tmp = useTempDir();
  // Ed25519 signatures are deterministic, so a fixed key, serial and dates give fixed bytes.
  const key = readPrivateKey(fixture('openssl/ed25519-pkcs8.pem'));
  const name = encodeName({ commonName: 'golden', country: ['US'] });
  const template = {
    serial: Uint8Array.of(0x01),
    issuer: name,
    subject: name,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2036-01-01T00:00:00Z'),
    subjectPublicKeyInfo: subjectPublicKeyInfo(key),
    extensions: [keyUsageExtension(0x60), basicConstraintsExtension({ isCA: true })],
  };

  it('encodes a v3 certificate byte for byte: version [0] 2, serial, algorithm, names, UTCTime validity, key, [3] extensions', async () => {
    const der = await signCertificate(template, key);
    const tbs = tlv(
      '30',
      'a003020102', // [0] EXPLICIT version v3
      '020101', // serial 1, minimal
      '300506032b6570', // Ed25519, no parameters (RFC 8410 3)
      hex(name),
      tlv('30', tlv('17', ascii('260101000000Z')), tlv('17', ascii('360101000000Z'))), // UTCTime validity
      hex(name),
      hex(subjectPublicKeyInfo(key)),
      tlv('a3', tlv('30', '300e0603551d0f0101ff040403020106', '300f0603551d130101ff040530030101ff')),
    );
    // openssl signs Ed25519 only from a file ("oneshot" operation).
    const tbsFile = tmp.write('tbs.der', Buffer.from(tbs, 'hex'));
    const signature = (
      await runOkBytes('openssl', ['pkeyutl', '-sign', '-rawin', '-in', tbsFile, '-inkey', fixturePath('openssl/ed25519-pkcs8.pem')])
    ).toString('hex');
    // The whole certificate, including openssl's own Ed25519 signature over the same TBSCertificate.
    expect(hex(der)).toBe(tlv('30', tbs, '300506032b6570', tlv('03', '00' + signature)));
    // The signature: deterministic for Ed25519, so a second signing gives the same bytes.
    expect(hex(await signCertificate(template, key))).toBe(hex(der));
    // The certificate owns its ArrayBuffer: callers may keep it or read .buffer.
    expect(der.buffer.byteLength).toBe(der.length);
    const pem = encodePem('CERTIFICATE', der);
    await expectVerifies(pem, pem, { atTime: Date.parse('2027-01-01T00:00:00Z') / 1000 });
    const text = await x509Text(pem);
    expect([text.serialHex, text.signatureAlgorithm, text.subject]).toEqual(['01', 'ED25519', 'C = US, CN = golden']);
  });
});
