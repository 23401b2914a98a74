import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/etcd-config/env-file.js';
import { fixture } from '../support/fixtures.js';
import { expectPkiErrorSync } from '../support/errors.js';

describe('parseEnvFile', () => {
  it("reads the walkthrough's etcd.conf, trailing spaces and Chinese comments included", () => {
    const entries = parseEnvFile(fixture('doctor/etcd4-copy-paste/etcd3.conf'), 'etcd3.conf');
    expect(entries[0]).toEqual({ key: 'ETCD_DATA_DIR', value: '/var/lib/etcd/default.etcd', line: 1 });
    expect(entries.find((e) => e.key === 'ETCD_PEER_CERT_FILE')).toEqual({
      key: 'ETCD_PEER_CERT_FILE',
      value: '/etc/etcd/pki/etcd3-peer.pem',
      line: 17,
    });
    expect(entries).toHaveLength(17);
  });

  it.each([
    { name: 'double quotes', line: 'ETCD_NAME="etcd1"', value: 'etcd1' },
    { name: 'single quotes', line: "ETCD_NAME='etcd 1'", value: 'etcd 1' },
    { name: 'no quotes', line: 'ETCD_NAME=etcd1', value: 'etcd1' },
    { name: 'export and spaces around =', line: 'export ETCD_NAME = "etcd1"', value: 'etcd1' },
    { name: 'a comment after the value', line: 'ETCD_NAME="etcd1"  # the first', value: 'etcd1' },
    { name: 'escapes in double quotes', line: 'ETCD_NAME="a\\"b\\\\c"', value: 'a"b\\c' },
    { name: 'an empty value', line: 'ETCD_NAME=', value: '' },
    { name: 'CRLF line ends', line: 'ETCD_NAME="etcd1"\r', value: 'etcd1' },
  ])('reads $name', ({ line, value }) => {
    expect(parseEnvFile(`# comment\n\n${line}\n`, 'f')).toEqual([{ key: 'ETCD_NAME', value, line: 3 }]);
  });

  it.each([
    { name: 'a line that is not KEY=value', text: 'ETCD_NAME etcd1', message: 'line 1 is not KEY=value' },
    { name: 'an unclosed quote', text: 'ETCD_NAME="etcd1', message: 'no closing "' },
    { name: 'text after the closing quote', text: 'ETCD_NAME="etcd1" etcd2', message: 'text after the closing quote' },
  ])('refuses $name, naming the file and line', ({ text, message }) => {
    expectPkiErrorSync(() => parseEnvFile(text, 'etcd.conf'), { code: 'INVALID_CONFIG', file: 'etcd.conf', message });
  });
});
