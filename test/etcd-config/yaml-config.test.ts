import { describe, expect, it } from 'vitest';
import { parseEtcdYaml } from '../../src/etcd-config/yaml-config.js';
import { expectPkiErrorSync } from '../support/errors.js';

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
      expect.objectContaining({ severity: 'WARN', message: expect.stringContaining('ignores "cert-file" at the top level'), fix: 'move it under "client-transport-security:" as "cert-file:"' }),
    ]);
  });

  it('reports unknown keys with a suggestion', () => {
    const settings = parseEtcdYaml('initial-cluster-tokn: x\npeer-transport-security:\n  cert-flie: a\n', 'etcd.yaml');
    expect(settings.problems.map((p) => p.fix)).toEqual(['did you mean "initial-cluster-token"?', 'did you mean "cert-file"?']);
  });

  it.each([
    { name: 'a list', text: 'listen-client-urls:\n  - https://a:2379\n', message: 'list item' },
    { name: 'a flow list', text: 'listen-client-urls: [https://a:2379]\n', message: 'flow collection' },
    { name: 'tabs', text: 'client-transport-security:\n\tcert-file: a\n', message: 'tab' },
    { name: 'an unclosed quote', text: "name: 'etcd1\n", message: "no closing '" },
  ])('refuses $name', ({ text, message }) => {
    expectPkiErrorSync(() => parseEtcdYaml(text, 'etcd.yaml'), { code: 'INVALID_CONFIG', file: 'etcd.yaml', message });
  });
});
