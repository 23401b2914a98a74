import { describe, expect, it } from 'vitest';
import { classifyHosts } from '../../src/x509/hosts.js';
import { expectPkiErrorSync } from '../support/errors.js';

describe('classifyHosts', () => {
  const cases = [
    { name: 'puts an IPv4 address into the IP SANs', hosts: ['192.168.0.91'], sans: { ip: ['192.168.0.91'] } },
    { name: 'puts an IPv6 address into the IP SANs', hosts: ['::1', 'fe80::1'], sans: { ip: ['::1', 'fe80::1'] } },
    { name: 'puts a bracketed IPv6 address into the IP SANs without brackets', hosts: ['[2001:db8::1]'], sans: { ip: ['2001:db8::1'] } },
    { name: 'puts a DNS name into the DNS SANs', hosts: ['etcd1.example.com'], sans: { dns: ['etcd1.example.com'] } },
    { name: 'accepts a single-label name such as "localhost"', hosts: ['localhost'], sans: { dns: ['localhost'] } },
    { name: 'accepts a leftmost wildcard label', hosts: ['*.etcd.example.com'], sans: { dns: ['*.etcd.example.com'] } },
    { name: 'accepts a trailing root dot', hosts: ['etcd1.example.com.'], sans: { dns: ['etcd1.example.com.'] } },
    { name: 'puts an email address into the email SANs', hosts: ['ops@example.com'], sans: { email: ['ops@example.com'] } },
    {
      name: 'puts a URI into the URI SANs (cfssl 1.2 writes it as a DNS name)',
      hosts: ['spiffe://cluster.local/etcd1'],
      sans: { uri: ['spiffe://cluster.local/etcd1'] },
    },
    {
      name: 'sorts the walkthrough-style mix by kind and keeps their order within a kind',
      hosts: ['192.168.0.91', 'etcd1.example.com', '127.0.0.1', 'localhost', 'ops@example.com', '::1'],
      sans: { dns: ['etcd1.example.com', 'localhost'], ip: ['192.168.0.91', '127.0.0.1', '::1'], email: ['ops@example.com'] },
    },
    {
      name: 'drops duplicates, case-insensitively, keeping the first',
      hosts: ['etcd1.example.com', 'ETCD1.example.com', '192.168.0.91', '192.168.0.91'],
      sans: { dns: ['etcd1.example.com'], ip: ['192.168.0.91'] },
    },
    { name: 'does not copy anything when there are no hosts', hosts: [], sans: {} },
  ];
  it.each(cases)('$name', ({ hosts, sans }) => {
    expect(classifyHosts(hosts)).toEqual({ dns: [], email: [], ip: [], uri: [], ...sans });
  });

  const invalid = [
    { name: 'rejects "192.168.0.91:2379" (a port) and suggests the address alone', host: '192.168.0.91:2379', hint: '"192.168.0.91"' },
    { name: 'rejects "etcd1.example.com:2380" (a port)', host: 'etcd1.example.com:2380', hint: '"etcd1.example.com"' },
    { name: 'rejects "192.168.0.0/24" (a CIDR range)', host: '192.168.0.0/24', message: 'CIDR', hint: 'each IP address' },
    { name: 'rejects an empty host', host: '', message: 'is empty' },
    { name: 'rejects a host with a leading space', host: ' 192.168.0.91', message: 'white space' },
    { name: 'rejects a host with a space inside', host: 'etcd1 example.com', message: 'white space' },
    {
      name: 'rejects a wildcard that is not the whole leftmost label',
      host: 'etcd*.example.com',
      message: 'wildcard',
      hint: '"*.example.com"',
    },
    { name: 'rejects a wildcard below the leftmost label', host: 'etcd.*.example.com', message: 'wildcard' },
    {
      name: 'rejects a non-ASCII name and gives its IDNA form',
      host: 'bücher.example',
      message: 'not ASCII',
      hint: '"xn--bcher-kva.example"',
    },
    { name: 'rejects a label starting with a hyphen', host: '-etcd.example.com', message: 'not a valid DNS name' },
    { name: 'rejects an empty label', host: 'etcd..example.com', message: 'not a valid DNS name' },
    { name: 'rejects a label longer than 63 characters', host: `${'a'.repeat(64)}.example.com`, message: 'not a valid DNS name' },
    { name: 'rejects a malformed email address', host: 'ops@@example.com', message: 'not a valid email' },
    { name: 'rejects a malformed URI', host: 'spiffe://[bad', message: 'not a valid URI' },
  ];
  it.each(invalid)('$name', ({ host, message, hint }) => {
    expectPkiErrorSync(() => classifyHosts(['etcd0.example.com', host], { file: 'etcd1-csr.json', path: '/hosts' }), {
      code: 'INVALID_HOST',
      file: 'etcd1-csr.json',
      path: '/hosts/1',
      message: message ?? JSON.stringify(host),
      ...(hint ? { hint } : {}),
    });
  });
});
