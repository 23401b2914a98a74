import { describe, expect, it } from 'vitest';
import { loadClusterDescription, normaliseClusterDescription } from '../../src/bundle/load.js';
import { canonicalIp, checkPathTemplate, memberHostKinds } from '../../src/bundle/rules.js';
import type { ClusterJson } from '../../src/bundle/types.js';
import { expectPkiErrorSync, type ExpectedError } from '../support/errors.js';
import { fixture, fixtureNames } from '../support/fixtures.js';

/** Each fixtures/cluster/invalid file and the error it must get. */
const INVALID: Record<string, ExpectedError> = {
  'copied-member-ip.json': {
    code: 'INVALID_CLUSTER',
    path: '/members/3/hosts/0',
    message: ['192.168.0.93:2379', '"etcd4"', '"etcd3"'],
    hint: 'was "etcd3"\'s entry copied?',
  },
  'duplicate-member-name.json': { code: 'INVALID_CLUSTER', path: '/members/1/name', message: 'already used by member "etcd1"' },
  'member-and-client-same-name.json': { code: 'INVALID_CLUSTER', path: '/clients/0/name', message: ['"ETCD1"', 'member "etcd1"'] },
  'name-with-equals-sign.json': {
    code: 'INVALID_CLUSTER',
    path: '/members/0/name',
    message: 'ETCD_INITIAL_CLUSTER',
    hint: 'letters, digits',
  },
  'name-with-path-separator.json': { code: 'INVALID_CLUSTER', path: '/members/0/name', message: 'not a plain name' },
  'reserved-name-ca.json': { code: 'INVALID_CLUSTER', path: '/clients/0/name', message: 'CA directory', hint: 'reserved' },
  'member-without-ip.json': {
    code: 'INVALID_CLUSTER',
    path: '/members/0/hosts',
    message: 'no IP address',
    hint: 'etcd1=192.168.0.91,etcd1.example.com',
  },
  'member-with-wildcard.json': { code: 'INVALID_HOST', path: '/members/0/hosts/1', message: '*.example.com' },
  'member-with-email.json': { code: 'INVALID_HOST', path: '/members/0/hosts/1', message: 'not an IP address or DNS name' },
  'member-with-port-in-host.json': { code: 'INVALID_HOST', path: '/members/0/hosts/0', message: 'includes a port', hint: '"192.168.0.91"' },
  'unspecified-address.json': { code: 'INVALID_HOST', path: '/members/0/hosts/0', message: 'unspecified address' },
  'same-client-and-peer-port.json': {
    code: 'INVALID_CLUSTER',
    path: '/members/0/hosts/0',
    message: 'also its client port',
    hint: 'different numbers',
  },
  'existing-before-new.json': { code: 'INVALID_CLUSTER', path: '/members/2', message: '"etcd2"', hint: 'founding ("new") members first' },
  'only-existing-members.json': { code: 'INVALID_CLUSTER', path: '/members/0/initialClusterState', message: 'no member founds it' },
  'relative-pki-dir.json': { code: 'INVALID_CLUSTER', path: '/pkiDir', message: 'not an absolute path', hint: '/etc/etcd/pki' },
  'unknown-placeholder.json': { code: 'INVALID_CLUSTER', path: '/dataDir', message: '"{member}"', hint: '{name}' },
  'data-dir-with-quote.json': { code: 'INVALID_CLUSTER', path: '/dataDir', message: 'contains "\\""' },
  'token-with-space.json': { code: 'INVALID_CLUSTER', path: '/token', message: 'ETCD_INITIAL_CLUSTER_TOKEN' },
  'owner-with-space.json': { code: 'INVALID_CLUSTER', path: '/owner', hint: 'etcd:etcd' },
  'expiry-in-days.json': { code: 'INVALID_DURATION', path: '/expiry/server', hint: '"8760h"' },
  'rsa-without-size.json': { code: 'KEY_TOO_WEAK', path: '/key/size', hint: '2048' },
  // ajv checks "required" before "additionalProperties", so the missing key is what is named.
  'misspelt-key.json': { code: 'INVALID_JSON', path: '', message: 'missing required key "members"' },
  'misspelt-member-key.json': { code: 'INVALID_JSON', path: '/members/0', message: 'missing required key "hosts"' },
  'no-members.json': { code: 'INVALID_JSON', path: '/members' },
  'empty-client-cn.json': { code: 'INVALID_CLUSTER', path: '/clients/0/CN', hint: 'client name' },
  'copied-advertised-dns-name.json': {
    code: 'INVALID_CLUSTER',
    path: '/members/1/hosts/0',
    message: 'etcd.example.com:2379',
    hint: 'own address first',
  },
};

describe('the rules of a cluster description', () => {
  it('has an expectation for every fixture in fixtures/cluster/invalid', () => {
    expect(fixtureNames('cluster/invalid')).toEqual(Object.keys(INVALID).sort());
  });

  it.each(Object.entries(INVALID))('refuses invalid/%s', (name, expected) => {
    expectPkiErrorSync(() => loadClusterDescription(fixture(`cluster/invalid/${name}`), { file: name }), { ...expected, file: name });
  });

  const member = (hosts: string[], extra: object = {}) => ({ name: 'etcd1', hosts, ...extra });
  const cases: Array<{ name: string; json: ClusterJson; ok: boolean }> = [
    {
      name: 'allows two members on one IP with other ports',
      ok: true,
      json: { members: [member(['10.0.0.1']), { name: 'b', hosts: ['10.0.0.1'], clientPort: 3379, peerPort: 3380 }] },
    },
    { name: 'allows a member with several IP addresses', ok: true, json: { members: [member(['10.0.0.1', '10.1.0.1', 'etcd1.local'])] } },
    {
      name: 'refuses one IP written two ways for two members',
      ok: false,
      json: { members: [member(['fd00::1']), { name: 'b', hosts: ['fd00:0::1'] }] },
    },
    { name: 'refuses a multicast address', ok: false, json: { members: [member(['224.0.0.1'])] } },
    { name: 'refuses the broadcast address', ok: false, json: { members: [member(['255.255.255.255'])] } },
    { name: 'refuses an IPv6 multicast address', ok: false, json: { members: [member(['ff02::1'])] } },
    { name: 'refuses a client named README.txt', ok: false, json: { members: [member(['10.0.0.1'])], clients: [{ name: 'README.txt' }] } },
    { name: 'refuses a name of 64 characters', ok: false, json: { members: [{ name: 'a'.repeat(64), hosts: ['10.0.0.1'] }] } },
    { name: 'refuses an empty CA CN', ok: false, json: { members: [member(['10.0.0.1'])], ca: { CN: ' ' } } },
    {
      name: 'refuses a shared server certificate naming more than 1000 hosts',
      ok: false,
      json: {
        sharedServerCert: true,
        members: Array.from({ length: 500 }, (_, i) => ({ name: `m${i}`, hosts: [`10.0.${i >> 8}.${i & 255}`, `m${i}.example.com`] })),
      },
    },
    {
      name: 'allows 1000 members with their own certificates',
      ok: true,
      json: {
        members: Array.from({ length: 1000 }, (_, i) => ({ name: `m${i}`, hosts: [`10.0.${i >> 8}.${i & 255}`] })),
      },
    },
  ];
  it.each(cases)('$name', ({ json, ok }) => {
    if (ok) expect(() => normaliseClusterDescription(json)).not.toThrow();
    else expect(() => normaliseClusterDescription(json)).toThrow();
  });
});

describe('checkPathTemplate', () => {
  it.each(['/etc/etcd/pki', '/etc/etcd/{name}', '/srv/etcd-{name}/pki', '/opt/etcd_1.2/pki'])('accepts %s', (path) => {
    expect(() => checkPathTemplate(path, 'pkiDir')).not.toThrow();
  });
  it.each([
    ['etc/etcd', 'absolute'],
    ['/etc/etcd pki', '" "'],
    ['/etc/$HOME', '"$"'],
    ['/etc/`x`', '"`"'],
    ['/etc/../root', '".."'],
    ['/etc/{Name}', '"{Name}"'],
    ['/etc/{name', '"{name"'],
  ])('refuses %s', (path, words) => {
    expectPkiErrorSync(() => checkPathTemplate(path, 'pkiDir', 'c.json'), {
      code: 'INVALID_CLUSTER',
      file: 'c.json',
      path: '/pkiDir',
      message: words,
    });
  });
});

describe('memberHostKinds', () => {
  it('keeps the order of the hosts within each kind', () => {
    expect(memberHostKinds({ name: 'a', hosts: ['b.example', '10.0.0.2', 'a.example', '10.0.0.1'] }, 0)).toEqual({
      ips: ['10.0.0.2', '10.0.0.1'],
      dnsNames: ['b.example', 'a.example'],
    });
  });
  it('spells IP addresses as Go does', () => {
    expect(canonicalIp('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
  });
});
