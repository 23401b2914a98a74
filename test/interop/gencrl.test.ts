/**
 * `etcd-pki gencrl` against cfssl 1.6.5's `gencrl` (issue 17): the same serials file, CA and
 * expiry through both; both CRLs read by `openssl crl -text` and compared field by field with the
 * times masked; cfssl's broken cases (a non-decimal line, a negative expiry) refused.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { etcdPki, run } from '../support/cli.js';
import { useTempDir } from '../support/temp.js';

const CFSSL = '/work/shared/tools/cfssl-1.6.5/cfssl';
const tmp = useTempDir('etcd-pki-gencrl-');

/** `openssl crl -text` of base64 DER, with the dates and the signature value masked. */
function crlText(base64: string): string {
  const der = tmp.write(`crl-${Math.random().toString(36).slice(2)}.der`, Buffer.from(base64.trim(), 'base64'));
  const result = run('openssl', ['crl', '-inform', 'DER', '-in', der, '-noout', '-text'], tmp.path);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .replace(/(Last Update|Next Update|Revocation Date): .*/g, '$1: <time>')
    .replace(/Signature Value:\n(\s+[0-9a-f:]+\n)+/, 'Signature Value: <masked>\n');
}

function dates(base64: string): { last: number; next: number } {
  const der = tmp.write(`d-${Math.random().toString(36).slice(2)}.der`, Buffer.from(base64.trim(), 'base64'));
  const out = run('openssl', ['crl', '-inform', 'DER', '-in', der, '-noout', '-lastupdate', '-nextupdate'], tmp.path).stdout;
  const field = (name: string) => Date.parse(/=(.*)/.exec(out.split('\n').find((l) => l.startsWith(name))!)![1]!);
  return { last: field('lastUpdate'), next: field('nextUpdate') };
}

const CAS = [
  { name: 'ECDSA P-256', csr: { CN: 'CRL Test CA', key: { algo: 'ecdsa', size: 256 } } },
  {
    name: 'RSA 3072 (Go signs CRLs with SHA-256 whatever the size)',
    csr: { CN: 'CRL RSA CA', names: [{ O: 'Example', C: 'US' }], key: { algo: 'rsa', size: 3072 } },
  },
] as const;

describe.each(CAS)('gencrl with a $name CA, against cfssl 1.6.5', ({ csr }) => {
  let prefix = '';
  beforeAll(() => {
    expect(existsSync(CFSSL), `cfssl 1.6.5 is expected at ${CFSSL}`).toBe(true);
    prefix = `ca-${csr.key.algo}`;
    tmp.write(`${prefix}-csr.json`, JSON.stringify(csr));
    const made = run(CFSSL, ['gencert', '-initca', `${prefix}-csr.json`], tmp.path);
    expect(made.status, made.stderr).toBe(0);
    const { cert, key } = JSON.parse(made.stdout) as { cert: string; key: string };
    tmp.write(`${prefix}.pem`, cert);
    tmp.write(`${prefix}-key.pem`, key);
    tmp.write('serials.txt', '201700823624709461343902056732833031217640540328\n12\n596572614963824681536482917475811926862305908438\n1\n');
  });

  it('writes the same CRL as cfssl (version, issuer, signature algorithm, AKI, serials, order)', () => {
    const theirs = run(CFSSL, ['gencrl', 'serials.txt', `${prefix}.pem`, `${prefix}-key.pem`], tmp.path);
    const ours = etcdPki(['gencrl', 'serials.txt', `${prefix}.pem`, `${prefix}-key.pem`], { cwd: tmp.path });
    expect(ours.status, ours.stderr).toBe(0);
    // Both: one line of base64 and a newline.
    expect(ours.stdout).toMatch(/^[A-Za-z0-9+/=]+\n$/);
    expect(theirs.stdout).toMatch(/^[A-Za-z0-9+/=]+\n$/);
    const text = crlText(ours.stdout);
    expect(text).toBe(crlText(theirs.stdout));
    expect(text).toContain('Version 2 (0x1)');
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(text).not.toContain('CRL Number');
    expect(text).toMatch(/ecdsa-with-SHA256|sha256WithRSAEncryption/);
    expect(text.match(/Serial Number:/g)).toHaveLength(4);
    const { last, next } = dates(ours.stdout);
    expect(next - last).toBe(7 * 24 * 3600 * 1000);
    expect(Math.abs(last - Date.now())).toBeLessThan(60_000);
  });

  it('takes TIME in seconds as cfssl does, and the same empty CRL for an empty file', () => {
    tmp.write('empty.txt', '');
    const ours = etcdPki(['gencrl', 'empty.txt', `${prefix}.pem`, `${prefix}-key.pem`, '3600'], { cwd: tmp.path });
    const theirs = run(CFSSL, ['gencrl', 'empty.txt', `${prefix}.pem`, `${prefix}-key.pem`, '3600'], tmp.path);
    expect(ours.status, ours.stderr).toBe(0);
    expect(crlText(ours.stdout)).toBe(crlText(theirs.stdout));
    expect(crlText(ours.stdout)).toContain('No Revoked Certificates');
    const { last, next } = dates(ours.stdout);
    expect(next - last).toBe(3600 * 1000);
  });
});

describe('gencrl refuses what cfssl turns into a wrong CRL', () => {
  beforeAll(() => {
    tmp.write('r-csr.json', JSON.stringify({ CN: 'Refusal CA', key: { algo: 'ecdsa', size: 256 } }));
    const made = JSON.parse(run(CFSSL, ['gencert', '-initca', 'r-csr.json'], tmp.path).stdout) as { cert: string; key: string };
    tmp.write('r.pem', made.cert);
    tmp.write('r-key.pem', made.key);
  });

  it('refuses a hex serial, which cfssl writes as serial 0', () => {
    tmp.write('hex.txt', '12\n0x1F\n');
    const theirs = run(CFSSL, ['gencrl', 'hex.txt', 'r.pem', 'r-key.pem'], tmp.path);
    expect(crlText(theirs.stdout)).toContain('Serial Number: 00');
    const ours = etcdPki(['gencrl', 'hex.txt', 'r.pem', 'r-key.pem'], { cwd: tmp.path });
    expect(ours.status).toBe(1);
    expect(ours.stdout).toBe('');
    expect(ours.stderr).toContain('hex.txt');
    expect(ours.stderr).toContain('line 2 is not a decimal serial number');
  });

  it('refuses a negative or non-numeric TIME, where cfssl writes nextUpdate before thisUpdate or fails', () => {
    tmp.write('one.txt', '5\n');
    for (const time of ['-5', '1h', '0']) {
      const ours = etcdPki(['gencrl', 'one.txt', 'r.pem', 'r-key.pem', time], { cwd: tmp.path });
      expect(ours.status, time).toBe(2);
      expect(ours.stderr).toContain('positive number of seconds');
    }
  });

  it("refuses a key that is not the certificate's", () => {
    tmp.write('o-csr.json', JSON.stringify({ CN: 'Other', key: { algo: 'ecdsa', size: 256 } }));
    const other = JSON.parse(run(CFSSL, ['gencert', '-initca', 'o-csr.json'], tmp.path).stdout) as { key: string };
    tmp.write('o-key.pem', other.key);
    const ours = etcdPki(['gencrl', 'one.txt', 'r.pem', 'o-key.pem'], { cwd: tmp.path });
    expect(ours.status).toBe(1);
    expect(ours.stderr).toContain('does not match');
  });
});
