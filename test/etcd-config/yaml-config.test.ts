import { describe, expect, it } from 'vitest';
import { parseEtcdYaml } from '../../src/etcd-config/yaml-config.js';
import { expectPkiErrorSync } from '../support/errors.js';
import { fixture } from '../support/fixtures.js';

const values = (text: string) => Object.fromEntries([...parseEtcdYaml(text, 'etcd.yaml').values].map(([k, v]) => [k, v.value]));

describe('parseEtcdYaml', () => {
  it('maps the transport-security blocks to their flags', () => {
    const text = [
      '# made by hand',
      'name: etcd1',
      "listen-client-urls: 'https://192.168.0.91:2379,https://127.0.0.1:2379'",
      'initial-cluster-state: "new"',
      'client-transport-security:',
      '  cert-file: /etc/etcd/pki/etcd1.pem',
      '  client-cert-auth: true   # required',
      'peer-transport-security:',
      "  cert-file: '/etc/etcd/pki/it''s.pem'",
      '  trusted-ca-file: ~',
      'data-dir:',
    ].join('\n');
    expect(values(text)).toEqual({
      name: 'etcd1',
      'listen-client-urls': 'https://192.168.0.91:2379,https://127.0.0.1:2379',
      'initial-cluster-state': 'new',
      'cert-file': '/etc/etcd/pki/etcd1.pem',
      'client-cert-auth': 'true',
      'peer-cert-file': "/etc/etcd/pki/it's.pem",
    });
    const setting = parseEtcdYaml(text, 'etcd.yaml').values.get('peer-cert-file')!;
    expect(setting.source).toEqual({ file: 'etcd.yaml', line: 9, key: 'peer-transport-security.cert-file' });
  });

  it('reports a TLS key at the top level, which etcd 3.4 ignores there', () => {
    const settings = parseEtcdYaml('name: etcd1\ncert-file: /etc/etcd/pki/etcd1.pem\n', 'etcd.yaml');
    expect(settings.values.has('cert-file')).toBe(false);
    expect(settings.problems).toEqual([
      expect.objectContaining({
        severity: 'WARN',
        message: expect.stringContaining('ignores "cert-file" at the top level'),
        fix: 'move it under "client-transport-security:" as "cert-file:"',
      }),
    ]);
  });

  it('reports unknown keys with a suggestion', () => {
    const settings = parseEtcdYaml('initial-cluster-tokn: x\npeer-transport-security:\n  cert-flie: a\n', 'etcd.yaml');
    expect(settings.problems.map((p) => p.fix)).toEqual(['did you mean "initial-cluster-token"?', 'did you mean "cert-file"?']);
  });

  it.each([
    {
      name: 'a list of URLs',
      text: 'listen-client-urls:\n  - https://a:2379\n',
      message: 'line 1: listen-client-urls is a list; etcd reads it as one string',
    },
    { name: 'a flow list of URLs', text: 'listen-client-urls: [https://a:2379]\n', message: 'line 1: listen-client-urls is a list' },
    { name: 'a block where etcd takes a value', text: 'name:\n  first: etcd1\n', message: 'line 1: name is a block of keys' },
    {
      name: 'a transport block written as a value',
      text: 'client-transport-security: yes\n',
      message: 'line 1: client-transport-security must be a block',
    },
    { name: 'tabs', text: 'client-transport-security:\n\tcert-file: a\n', message: 'line 2: Tabs are not allowed as indentation' },
    { name: 'an unclosed quote', text: "name: 'etcd1\n", message: "Missing closing 'quote" },
    { name: 'a document that is a list', text: '- name\n', message: 'line 1: is not a mapping of etcd settings' },
  ])('refuses $name', ({ text, message }) => {
    expectPkiErrorSync(() => parseEtcdYaml(text, 'etcd.yaml'), { code: 'INVALID_CONFIG', file: 'etcd.yaml', message });
  });
});

describe("parseEtcdYaml on etcd's own sample config files (fixtures/etcd-config)", () => {
  it.each(['etcd-3.4.conf.yml.sample', 'etcd-3.5.conf.yml.sample'])('reads every key of %s, with no problem', (name) => {
    const text = fixture(`etcd-config/${name}`);
    const settings = parseEtcdYaml(text, name);
    expect(settings.problems).toEqual([]);
    const keys = [...text.matchAll(/^([a-z-]+):/gm)].map((match) => match[1]!);
    expect(keys.length).toBeGreaterThan(35);
    // Every key with a value is read, under its etcd flag name; the two blocks hold the TLS keys.
    expect(values(text)).toMatchObject({
      name: 'default',
      'snapshot-count': '10000',
      'listen-client-urls': 'http://localhost:2379',
      'initial-cluster-token': 'etcd-cluster',
      'strict-reconfig-check': 'false',
      'client-cert-auth': 'false',
      'peer-auto-tls': 'false',
      logger: 'zap',
      'log-outputs': 'stderr',
      'auto-compaction-retention': '1',
    });
    for (const empty of ['data-dir', 'wal-dir', 'cors', 'initial-cluster', 'cert-file', 'peer-trusted-ca-file'])
      expect(settings.values.has(empty)).toBe(false);
    expect(settings.values.get('log-outputs')!.source).toEqual({
      file: name,
      line: text.split('\n').findIndex((line) => line.startsWith('log-outputs:')) + 1,
      key: 'log-outputs',
    });
  });

  it('reads a YAML list where etcd takes one, joined with commas as on a command line', () => {
    expect(
      values(
        'log-outputs: [stderr, stdout]\ncipher-suites:\n  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n',
      ),
    ).toEqual({
      'log-outputs': 'stderr,stdout',
      'cipher-suites': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    });
  });
});
