import { describe, expect, it } from 'vitest';
import { loadClusterDescription } from '../../../src/bundle/load.js';
import { renderEtcdYaml, yamlScalar } from '../../../src/bundle/render/etcd-yaml.js';
import { ETCD_SETTINGS, memberSettings } from '../../../src/bundle/settings.js';
import { initialClusters } from '../../../src/bundle/urls.js';
import { fixture } from '../../support/fixtures.js';

const cluster = loadClusterDescription(fixture('cluster/walkthrough-scaled.json'));
const settings = memberSettings(cluster, cluster.members[3]!, initialClusters(cluster).get('etcd4')!);
const yaml = renderEtcdYaml(settings, { member: 'etcd4', token: 'etcd-cluster', pkiDir: '/etc/etcd/pki' });

/** Reads back the flat and one-level nested `key: value` lines this renderer writes. */
function readBack(text: string): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  let group = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^( {2})?([a-z-]+):(?: (.*))?$/.exec(line);
    if (!match) throw new Error(`unexpected YAML line ${JSON.stringify(line)}`);
    const [, indent, key, raw] = match;
    if (raw === undefined) {
      group = key!;
      continue;
    }
    const value = raw === 'true' || raw === 'false' ? raw === 'true' : raw.slice(1, -1).replaceAll("''", "'");
    out[indent ? `${group}.${key}` : key!] = value;
  }
  return out;
}

describe('renderEtcdYaml', () => {
  it('holds the same settings as etcd.conf, under etcd 3.4 config-file keys', () => {
    const back = readBack(yaml);
    expect(Object.keys(back)).toEqual(ETCD_SETTINGS.map((s) => s.yaml));
    for (const setting of ETCD_SETTINGS) expect(back[setting.yaml], setting.yaml).toEqual(settings[setting.key]);
  });

  it("writes an added member's state and its full initial cluster", () => {
    expect(yaml).toContain("initial-cluster-state: 'existing'\n");
    expect(yaml).toContain("etcd3=https://192.168.0.93:2380,etcd4=https://192.168.0.94:2380'\n");
  });

  it('nests the TLS settings and writes booleans bare', () => {
    expect(yaml).toContain(
      "client-transport-security:\n  cert-file: '/etc/etcd/pki/etcd4.pem'\n  key-file: '/etc/etcd/pki/etcd4-key.pem'\n  client-cert-auth: true\n  trusted-ca-file: '/etc/etcd/pki/ca.pem'\n",
    );
    expect(yaml).toContain('peer-transport-security:\n');
  });

  it('quotes strings as YAML single-quoted scalars', () => {
    expect(yamlScalar("it's")).toBe("'it''s'");
    expect(yamlScalar(false)).toBe('false');
    expect(yamlScalar('true')).toBe("'true'");
  });
});
