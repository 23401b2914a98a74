import { describe, expect, it } from 'vitest';
import { decodePemBlocks, decodeSinglePem, encodePem, looksLikePem, PEM_LABELS } from '../../src/pem/pem.js';
import { fixture } from '../support/fixtures.js';
import { expectPkiErrorSync } from '../support/errors.js';

describe('encodePem', () => {
  it('writes 64-character lines and a final newline, as Go pem.Encode does', () => {
    const der = new Uint8Array(100).map((_, i) => i);
    const pem = encodePem('CERTIFICATE', der);
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[1]).toHaveLength(64);
    expect(lines.at(-2)).toBe('-----END CERTIFICATE-----');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -2).join('')).toBe(Buffer.from(der).toString('base64'));
  });

  it('writes the armour of an empty body without a blank line', () => {
    expect(encodePem('X', new Uint8Array())).toBe('-----BEGIN X-----\n-----END X-----\n');
  });

  it("re-encodes cfssl's certificate byte for byte", () => {
    const pem = fixture('cfssl/etcd1.pem');
    const [block] = decodePemBlocks(pem);
    expect(encodePem(block!.label, block!.der)).toBe(pem);
  });
});

describe('decodePemBlocks', () => {
  it("reads openssl's EC PARAMETERS block and the key after it, in order", () => {
    const blocks = decodePemBlocks(fixture('openssl/ec256-with-params.pem'));
    expect(blocks.map((b) => b.label)).toEqual([PEM_LABELS.ecParameters, PEM_LABELS.ecPrivateKey]);
  });

  it('reads CRLF line endings and ignores text between blocks', () => {
    const pem = fixture('cfssl/etcd1.pem');
    const text = `subject=CN = ETCD Cluster-1\r\n${pem.replace(/\n/g, '\r\n')}trailing words\n`;
    expect(decodePemBlocks(text)[0]!.der).toEqual(decodePemBlocks(pem)[0]!.der);
  });

  it('keeps RFC 1421 headers apart from the base64 body', () => {
    const [block] = decodePemBlocks(fixture('openssl/ec384-encrypted-sec1.pem'));
    expect(block!.headers['Proc-Type']).toBe('4,ENCRYPTED');
    expect(block!.headers['DEK-Info']).toMatch(/^AES-128-CBC,/);
  });

  const broken = [
    {
      name: 'rejects a block whose END label differs from its BEGIN label',
      text: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n',
      message: 'ends with "END PRIVATE KEY"',
    },
    {
      name: 'rejects a block without an END line, as a truncated file',
      text: '-----BEGIN CERTIFICATE-----\nMIIB\n',
      message: 'no END line',
    },
    {
      name: 'rejects a body that is not base64',
      text: '-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n',
      message: 'not valid base64',
    },
  ];
  it.each(broken)('$name', ({ text, message }) => {
    expectPkiErrorSync(() => decodePemBlocks(text, 'x.pem'), { code: 'INVALID_PEM', file: 'x.pem', message });
  });
});

describe('decodeSinglePem', () => {
  it('names the label it found and the labels it wanted', () => {
    expectPkiErrorSync(
      () => decodeSinglePem(fixture('cfssl/etcd1-key.pem'), ['CERTIFICATE'], { file: 'etcd1-key.pem', what: 'certificate' }),
      { code: 'INVALID_PEM', file: 'etcd1-key.pem', message: 'found a "EC PRIVATE KEY" PEM block', hint: '"CERTIFICATE"' },
    );
  });

  it('refuses two blocks where one is expected', () => {
    const two = fixture('cfssl/etcd1.pem') + fixture('cfssl/rootca.pem');
    expectPkiErrorSync(() => decodeSinglePem(two, ['CERTIFICATE'], { what: 'certificate' }), {
      code: 'INVALID_PEM',
      message: '2 PEM blocks',
    });
  });

  it('says what it expected when there is no PEM at all', () => {
    expectPkiErrorSync(() => decodeSinglePem('hello', ['CERTIFICATE'], { what: 'certificate' }), {
      code: 'INVALID_PEM',
      message: 'no PEM data found',
      hint: '-----BEGIN CERTIFICATE-----',
    });
  });
});

describe('looksLikePem', () => {
  it('tells PEM text from DER bytes', () => {
    expect(looksLikePem(fixture('cfssl/etcd1.pem'))).toBe(true);
    expect(looksLikePem(decodePemBlocks(fixture('cfssl/etcd1.pem'))[0]!.der)).toBe(false);
  });
});

describe('decodePemBlocks is linear in its input (issue 18)', () => {
  // Counted as text scanned rather than timed: String.prototype.indexOf and slice are the only
  // scans, so the work is bounded by how often BEGIN lines are visited, once each.
  it.each([
    ['40,000 BEGIN lines without an END', (n: number) => '-----BEGIN CERTIFICATE-----\n'.repeat(n)],
    ['BEGIN lines each followed by a broken END', (n: number) => '-----BEGIN CERTIFICATE-----\n-----END x\n'.repeat(n)],
    ['BEGIN lines without their dashes', (n: number) => '-----BEGIN CERTIFICATE\n'.repeat(n)],
  ])('%s: 10 times the input takes at most about 10 times as long', (_, make) => {
    const time = (n: number) => {
      const text = make(n);
      const started = process.hrtime.bigint();
      for (let i = 0; i < 3; i++) {
        try {
          decodePemBlocks(text);
        } catch {
          // refused (no END line): the time to refuse is what is measured
        }
      }
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    time(4_000); // warm-up
    const small = time(4_000);
    const large = time(40_000);
    // Quadratic would be 100 times (12 s for 40,000 before); 30 leaves room for a noisy machine.
    expect(large, `${small} ms for 4,000, ${large} ms for 40,000`).toBeLessThan(Math.max(small, 20) * 30);
    expect(large).toBeLessThan(2000);
  });

  it('still reads the block after a BEGIN line that is not one', () => {
    const pem = fixture('cfssl/etcd1.pem');
    const blocks = decodePemBlocks(`-----BEGIN lower-----\n-----BEGIN CERTIFICATE\n${pem}`);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE']);
  });
});
