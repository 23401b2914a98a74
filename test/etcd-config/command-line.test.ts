import { describe, expect, it } from 'vitest';
import { parseEtcdCommandLine } from '../../src/etcd-config/command-line.js';

describe('parseEtcdCommandLine', () => {
  it('reads Go flag spellings and skips the program name', () => {
    const settings = parseEtcdCommandLine([
      '/usr/bin/etcd',
      '--name=etcd1',
      '-data-dir',
      '/var/lib/etcd',
      '--client-cert-auth',
      '--peer-client-cert-auth=false',
      '--cert-file',
      '/etc/etcd/pki/etcd1.pem',
    ]);
    expect(Object.fromEntries([...settings.values].map(([k, v]) => [k, v.value]))).toEqual({
      name: 'etcd1',
      'data-dir': '/var/lib/etcd',
      'client-cert-auth': 'true',
      'peer-client-cert-auth': 'false',
      'cert-file': '/etc/etcd/pki/etcd1.pem',
    });
    expect(settings.values.get('name')!.source).toEqual({ file: 'command line', key: '--name' });
    expect(settings.problems).toEqual([]);
  });

  it('reports unknown flags as etcd refuses them, with a suggestion', () => {
    const settings = parseEtcdCommandLine(['etcd', '--peer-cert-flie', 'x', 'stray', '--name']);
    expect(settings.problems.map((p) => [p.severity, p.source.key, p.fix])).toEqual([
      ['FAIL', '--peer-cert-flie', 'did you mean --peer-cert-file?'],
      ['FAIL', 'stray', 'write it as --flag=value, or quote a value that contains spaces'],
      ['FAIL', '--name', 'write --name=VALUE'],
    ]);
  });
});
