import { describe, expect, it } from 'vitest';
import { authorityInfoAccessExtension, crlDistributionPointsExtension } from '../../../src/x509/extensions/distribution.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => Buffer.from(text, 'latin1').toString('hex');
const OCSP = '06082b06010505073001';
const CA_ISSUERS = '06082b06010505073002';

describe('distribution extensions', () => {
  it('encodes AIA with the OCSP responder first, then the CA issuer URL', () => {
    const ocsp = 'http://o';
    const issuer = 'http://i';
    const access = (method: string, uri: string) => {
      const body = method + '86' + '08' + ascii(uri);
      return '30' + (body.length / 2).toString(16).padStart(2, '0') + body;
    };
    const body = access(OCSP, ocsp) + access(CA_ISSUERS, issuer);
    const extension = authorityInfoAccessExtension([ocsp], [issuer]);
    expect(hex(extension.value)).toBe('30' + (body.length / 2).toString(16) + body);
    expect(extension.critical).toBe(false);
  });

  it('encodes a CRL distribution point as DistributionPoint { [0] { [0] fullName { [6] URI } } }', () => {
    const url = 'http://c/crl';
    const extension = crlDistributionPointsExtension([url]);
    expect(hex(extension.value)).toBe('3014' + '3012' + 'a010' + 'a00e' + '860c' + ascii(url));
    expect(extension.critical).toBe(false);
  });
});
