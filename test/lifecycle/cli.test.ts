// check-expiration, renew and rotate-ca as the CLI runs them (in process, through main): output,
// --json, exit status, files on disk. The live-cluster behaviour is test/e2e/lifecycle-live.test.ts.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTls } from '../../src/net/tls-probe.js';
import { useTempDir } from '../support/temp.js';
import { WALKTHROUGH_MEMBERS, cli } from '../support/in-process.js';

describe('lifecycle commands', () => {
  const temp = useTempDir('etcd-pki-lifecycle-cli-');
  const out = join(temp.path, 'out');
  const read = (path: string) => readFileSync(join(out, path), 'utf8');
  const serial = (path: string) => new X509Certificate(read(path)).serialNumber;

  beforeAll(async () => {
    // One CA: rotate-ca rotates a single-CA bundle's (issue 17).
    const made = await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, '-single-ca', '-out', out, '--quiet']);
    expect(made.status, made.stderr).toBe(0);
  });

  describe('check-expiration', () => {
    it('prints every certificate of a bundle and exits 0 when none is within the threshold', async () => {
      const result = await cli(['check-expiration', '-bundle', out]);
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^STATUS +ROLE +MEMBER/);
      // One CA: client-crl.pem and peer-crl.pem are the same CRL, one row (issue 17).
      expect(lines).toHaveLength(11);
      expect(
        lines.find((l) => l.includes(' crl ')),
        'a CRL row',
      ).toMatch(/^OK +crl +\* +0 revoked +\S+ +\d+d +ETCD Root CA +#1 /);
      expect(lines.at(-1)).toBe('8 certificate(s) and 1 CRL(s); 0 expired, 0 expiring within 720h (30 days)');
    });

    it('exits 6 and says why when certificates expire within the threshold', async () => {
      const result = await cli(['check-expiration', '-out', out, '-threshold', '400d']);
      expect(result.status).toBe(6);
      expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
        '8 certificate(s) and 1 CRL(s); 0 expired, 8 expiring within 9600h (400 days)',
      );
      expect(result.stderr).toBe(
        'etcd-pki: 8 expire within 400d; renew them with etcd-pki renew (a CA with etcd-pki rotate-ca, a CRL with etcd-pki revoke -refresh); see the table above\n',
      );
    });

    it('prints JSON with --json, from deployed configuration files too', async () => {
      const result = await cli(['check-expiration', '-conf', join(out, 'etcd1', 'etcd.conf'), '-threshold', '8760h', '--json']);
      // The configuration names /etc/etcd/pki/..., not installed here: reported, exit 1.
      expect(result.status).toBe(1);
      const json = JSON.parse(result.stdout) as { threshold: string; certificates: unknown[]; problems: string[] };
      expect(json.threshold).toBe('8760h0m0s');
      expect(json.certificates).toEqual([]);
      expect(json.problems).toEqual([
        expect.stringMatching(/etcd\.conf names \/etc\/etcd\/pki\/etcd1\.pem, which could not be read/),
        expect.stringMatching(/names \/etc\/etcd\/pki\/etcd1-peer\.pem/),
        expect.stringMatching(/names \/etc\/etcd\/pki\/ca\.pem/),
      ]);
    });

    it.each([
      { args: ['-threshold', '30days'], message: '-threshold' },
      { args: ['-cert', 'x.pem'], message: '-cert and -key go together' },
      { args: ['-verify', '-conf', 'x'], message: '-verify needs the bundle' },
    ])('refuses $args', async ({ args, message }) => {
      const result = await cli(['check-expiration', ...args]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });
  });

  describe('renew', () => {
    it('renews named members and clients, writes atomically and prints what to copy where', async () => {
      const before = { server: serial('etcd2/etcd2.pem'), client: serial('etcdctl/etcdctl.pem'), other: serial('etcd1/etcd1.pem') };
      const key = read('etcd2/etcd2-key.pem');
      const result = await cli(['renew', '-out', out, '-member', 'etcd2', '-client', 'etcdctl']);
      expect(result.status, result.stderr).toBe(0);
      expect(serial('etcd2/etcd2.pem')).not.toBe(before.server);
      expect(serial('etcdctl/etcdctl.pem')).not.toBe(before.client);
      expect(serial('etcd1/etcd1.pem')).toBe(before.other);
      expect(read('etcd2/etcd2-key.pem')).toBe(key);
      expect(result.stdout).toContain(`renewed server etcd2: serial ${before.server} -> ${serial('etcd2/etcd2.pem')}`);
      expect(result.stdout).toContain(
        `1. copy ${out}/etcd2/ to member etcd2 (192.168.0.92) and run its install.sh there as root; it installs:\n     ${out}/etcd2/etcd2.pem -> /etc/etcd/pki/etcd2.pem`,
      );
      expect(result.stdout).toContain('no restart');
      expect(readdirSync(join(out, 'etcd2')).filter((f) => f.startsWith('.'))).toEqual([]);
    });

    it('replaces keys with -rotate-key, 0600', async () => {
      const key = read('etcd3/etcd3-peer-key.pem');
      const result = await cli(['renew', '-out', out, '-member', 'etcd3', '-rotate-key', '--json']);
      expect(result.status, result.stderr).toBe(0);
      expect(read('etcd3/etcd3-peer-key.pem')).not.toBe(key);
      expect(statSync(join(out, 'etcd3', 'etcd3-peer-key.pem')).mode & 0o777).toBe(0o600);
      const json = JSON.parse(result.stdout) as { renewed: { keyRotated: boolean }[]; written: string[] };
      expect(json.renewed.map((r) => r.keyRotated)).toEqual([true, true]);
      expect(json.written.slice(0, 2)).toEqual(['etcd3/etcd3-key.pem', 'etcd3/etcd3-peer-key.pem']);
    });

    it.each([
      { args: ['-all', '-member', 'etcd1'], message: '-all renews everything' },
      { args: ['-member', 'etcd9'], message: 'no member named "etcd9"' },
      { args: ['-expiry', '365d', '-all'], message: '8760h' },
      { args: ['-all', '-hosts', '10.0.0.1'], message: 'the hosts of one member' },
    ])('refuses $args', async ({ args, message }) => {
      const result = await cli(['renew', '-out', out, ...args]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });

    it('refuses a directory that is no bundle', async () => {
      const result = await cli(['renew', '-out', temp.path, '-all']);
      expect(result.status).toBe(4);
      expect(result.stderr).toContain('there is no bundle here');
    });
  });

  describe('rotate-ca', () => {
    it('runs the three phases in order, each refusing to start early, and moves the CA files', async () => {
      const oldCa = read('ca/ca.pem');
      const oldKey = read('ca/ca-key.pem');
      expect((await cli(['rotate-ca', '-phase', '2', '-out', out, '--assume-deployed'])).stderr).toContain('phase 2 needs phase 1 first');

      const one = await cli(['rotate-ca', '-phase', '1', '-out', out]);
      expect(one.status, one.stderr).toBe(0);
      expect(one.stdout).toContain(`${out}: CA rotation phase 1 of 3 written`);
      expect(one.stdout).toMatch(/restart the members one at a time/);
      expect(read('etcd1/ca.pem')).toBe(oldCa + read('ca/new-ca.pem'));

      const early = await cli(['rotate-ca', '-phase', '2', '-out', out]);
      expect(early.status).toBe(1);
      expect(early.stderr).toContain('phase 1 must be deployed before the next phase starts');

      const status = await cli(['rotate-ca', 'status', '-out', out]);
      expect(status.status, status.stderr).toBe(0);
      expect(status.stdout).toContain('CA rotation at phase 1 of 3');

      const newCa = read('ca/new-ca.pem');
      const two = await cli(['rotate-ca', '-phase', '2', '-out', out, '--assume-deployed']);
      expect(two.status, two.stderr).toBe(0);
      expect(two.stdout).toContain('phase 1 deployment: assumed (--assume-deployed)');
      expect(read('ca/ca.pem')).toBe(newCa);
      expect(read('ca/old-ca.pem')).toBe(oldCa);
      expect(read('ca/old-ca-key.pem')).toBe(oldKey);
      expect(existsSync(join(out, 'ca', 'new-ca.pem'))).toBe(false);
      expect(existsSync(join(out, 'ca', 'new-ca-key.pem'))).toBe(false);
      expect(new X509Certificate(read('etcd1/etcd1-peer.pem')).checkIssued(new X509Certificate(newCa))).toBe(true);

      const three = await cli(['rotate-ca', '-phase', 'status', '-out', out, '--json']);
      expect(JSON.parse(three.stdout)).toMatchObject({ phase: 2, integrity: [] });
      const done = await cli(['rotate-ca', '-phase', '3', '-out', out, '--assume-deployed', '--json']);
      expect(done.status, done.stderr).toBe(0);
      const json = JSON.parse(done.stdout) as { removed: string[]; state: { retired: { certificate: string; key: string } } };
      expect(json.removed).toEqual(['ca/old-ca.pem', 'ca/old-ca-key.pem']);
      expect(readFileSync(join(out, json.state.retired.key), 'utf8')).toBe(oldKey);
      expect(statSync(join(out, json.state.retired.key)).mode & 0o777).toBe(0o600);
      expect(read('etcdctl/ca.pem')).toBe(newCa);

      const check = await cli(['check-expiration', '-bundle', out]);
      expect(check.status, check.stderr).toBe(0);
      expect(check.stdout).not.toContain('ETCD Root CA  ');
    });

    it.each([
      { args: [], message: 'which phase?' },
      { args: ['-phase', '4'], message: '-phase "4" is not a phase' },
      { args: ['stat'], message: 'unknown argument "stat"' },
      { args: ['-phase', '3', '-ca-cn', 'x'], message: 'in phase 1' },
      { args: ['-phase', '1', '-rotate-key'], message: '-rotate-key applies to phase 2' },
      { args: ['-phase', '2', '-verify', '--assume-deployed'], message: 'give one or the other' },
      { args: ['-phase', '2', '-endpoint', 'http://127.0.0.1:1'], message: 'is not https' },
    ])('refuses $args', async ({ args, message }) => {
      const result = await cli(['rotate-ca', '-out', out, ...args]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });
  });
});

describe('probeTls', () => {
  const temp = useTempDir('etcd-pki-probe-');
  let server: Server;
  let port: number;
  let pems: { cert: string; key: string; ca: string; client: string; clientKey: string; foreign: string; foreignKey: string };

  beforeAll(async () => {
    const first = join(temp.path, 'one');
    const second = join(temp.path, 'two');
    for (const dir of [first, second]) {
      const made = await cli(['cluster-bundle', '-member', 'etcd1=127.0.0.1', '-out', dir, '--quiet']);
      expect(made.status, made.stderr).toBe(0);
    }
    const at = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
    pems = {
      cert: at(first, 'etcd1/etcd1.pem'),
      key: at(first, 'etcd1/etcd1-key.pem'),
      ca: at(first, 'ca/ca.pem'),
      client: at(first, 'etcdctl/etcdctl.pem'),
      clientKey: at(first, 'etcdctl/etcdctl-key.pem'),
      foreign: at(second, 'etcdctl/etcdctl.pem'),
      foreignKey: at(second, 'etcdctl/etcdctl-key.pem'),
    };
    // Like etcd's client port: TLS 1.2 at most, a client certificate required, /version answered.
    server = createServer(
      { cert: pems.cert, key: pems.key, ca: pems.ca, requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2' },
      (socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sees the served certificate and an accepted client certificate', async () => {
    const result = await probeTls({ url: `https://127.0.0.1:${port}`, certificate: pems.client, key: pems.clientKey });
    expect(result).toMatchObject({ reached: true, accepted: true });
    expect(new X509Certificate(Buffer.from(result.served!)).serialNumber).toBe(new X509Certificate(pems.cert).serialNumber);
  });

  it('tells a refused client certificate from an unreachable endpoint', async () => {
    const refused = await probeTls({ url: `https://127.0.0.1:${port}`, certificate: pems.foreign, key: pems.foreignKey });
    expect(refused).toMatchObject({ reached: true, accepted: false });
    server.close();
    const down = await probeTls({ url: `https://127.0.0.1:${port}`, timeoutMs: 1000 });
    expect(down).toMatchObject({ reached: false, accepted: false, error: expect.stringContaining('ECONNREFUSED') });
    server.listen(port, '127.0.0.1');
  });

  it("says a plain-http port speaks no TLS in OpenSSL's words, without its codes", async () => {
    const plain = createHttpServer((_, response) => response.end('ok'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const result = await probeTls({ url: `https://127.0.0.1:${(plain.address() as AddressInfo).port}`, timeoutMs: 2000 });
      expect(result).toMatchObject({ reached: true, accepted: false, error: 'wrong version number' });
    } finally {
      plain.close();
    }
  });
});
