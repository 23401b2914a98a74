// The live endpoint check against local TLS servers on 127.0.0.1 (ephemeral ports): what is
// served, whether our client certificate is accepted, and what the checks make of it.
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeEndpoint, type EndpointProbe } from '../../src/net/endpoint-probe.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { initCA } from '../../src/signing/operations.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import type { CertificateAuthority } from '../../src/signing/authority.js';
import { CLIENT_USAGES, SERVER_USAGES, expectFail, findings, issue } from './support.js';

interface Pki {
  ca: CertificateAuthority;
  caPem: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  foreignClient: { cert: string; key: string };
  wrongName: { cert: string; key: string };
}

const MEMBERS = {
  members: [{ ID: '12345678901234567890', name: 'etcd1', peerURLs: ['https://127.0.0.21:2380'], clientURLs: ['https://127.0.0.21:2379'] }],
};

async function makePki(): Promise<Pki> {
  const root = await initCA({ request: normaliseCertificateRequest({ CN: 'ETCD Root CA', key: { algo: 'ecdsa', size: 256 } }) });
  const foreign = await initCA({ request: normaliseCertificateRequest({ CN: 'Other CA', key: { algo: 'ecdsa', size: 256 } }) });
  return {
    ca: root.authority,
    caPem: root.cert,
    server: await issue({ ca: root.authority, cn: 'etcd1', hosts: ['127.0.0.1', 'localhost'], usages: SERVER_USAGES }),
    client: await issue({ ca: root.authority, cn: 'etcdctl', hosts: [], usages: CLIENT_USAGES }),
    foreignClient: await issue({ ca: foreign.authority, cn: 'intruder', hosts: [], usages: CLIENT_USAGES }),
    wrongName: await issue({ ca: root.authority, cn: 'etcd2', hosts: ['127.0.0.22'], usages: SERVER_USAGES }),
  };
}

/** An https server that answers etcd's /version and member list, as etcd's client port does. */
async function serve(options: {
  cert: string;
  key: string;
  ca?: string;
  requireClientCert: boolean;
  maxVersion?: 'TLSv1.2';
}): Promise<{ server: Server; url: string }> {
  const server = createHttpsServer(
    {
      cert: options.cert,
      key: options.key,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
      requestCert: options.requireClientCert,
      rejectUnauthorized: options.requireClientCert,
    },
    (request, response) => {
      response.setHeader('Content-Type', 'application/json');
      if (request.url === '/version') response.end('{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}');
      else if (request.url === '/v3/cluster/member/list' && request.method === 'POST') response.end(JSON.stringify(MEMBERS));
      else response.writeHead(404).end('404 page not found\n');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('probeEndpoint and the live checks', () => {
  let pki: Pki;
  let strict: { server: Server; url: string };
  let open: { server: Server; url: string };
  let misnamed: { server: Server; url: string };
  const servers: Array<{ close(): unknown }> = [];

  beforeAll(async () => {
    pki = await makePki();
    strict = await serve({ ...pki.server, ca: pki.caPem, requireClientCert: true });
    open = await serve({ ...pki.server, requireClientCert: false });
    misnamed = await serve({ ...pki.wrongName, ca: pki.caPem, requireClientCert: true });
    servers.push(strict.server, open.server, misnamed.server);
  });
  afterAll(() => {
    for (const server of servers) server.close();
  });

  const check = (probe: EndpointProbe) => runDoctor({ members: [], endpoints: [probe] });

  it('records the chain, the accepted client certificate, the refusal without one, and the member list', async () => {
    const probe = await probeEndpoint({ url: strict.url, ca: pki.caPem, ...pki.client });
    expect(probe).toMatchObject({
      authorized: true,
      port: 'client',
      withClientCert: { handshake: true, status: 200 },
      withoutClientCert: { handshake: true, error: 'tlsv13 alert certificate required' },
    });
    expect(probe.chain).toHaveLength(2);
    expect(probe.members).toEqual([
      { id: 'ab54a98ceb1f0ad2', name: 'etcd1', peerUrls: ['https://127.0.0.21:2380'], clientUrls: ['https://127.0.0.21:2379'] },
    ]);
    const report = await check(probe);
    expect(report.findings.filter((f) => f.severity !== 'OK')).toEqual([]);
    expect(findings(report, 'live.client-cert', strict.url, 'OK')[0]!.evidence).toContain(
      'our client certificate is accepted (HTTP 200), and a connection without one is refused',
    );
    expect(findings(report, 'live.connect', strict.url, 'OK')[0]!.evidence).toContain('"etcd1", DNS localhost, IP 127.0.0.1');
  });

  it('fails the chain without the CA: "x509: certificate signed by unknown authority"', async () => {
    const [finding] = expectFail(await check(await probeEndpoint({ url: strict.url, ...pki.client })), 'live.chain', strict.url);
    expect(finding!.evidence).toContain('x509: certificate signed by unknown authority');
    expect(finding!.fix).toContain('-cacert');
  });

  it('fails a client certificate from another CA ("bad certificate")', async () => {
    const [finding] = expectFail(
      await check(await probeEndpoint({ url: strict.url, ca: pki.caPem, ...pki.foreignClient })),
      'live.client-cert',
      strict.url,
    );
    expect(finding!.evidence).toMatch(/^our client certificate was refused: /);
  });

  it('says a TLS 1.2 server that hangs up on a foreign client certificate closed the handshake, not that it spoke no HTTP', async () => {
    // Node's TLS 1.2 server closes without an alert; etcd's (Go) sends "bad certificate" (test/e2e/doctor-live.test.ts).
    const tls12 = await serve({ ...pki.server, ca: pki.caPem, requireClientCert: true, maxVersion: 'TLSv1.2' });
    servers.push(tls12.server);
    const [finding] = expectFail(
      await check(await probeEndpoint({ url: tls12.url, ca: pki.caPem, ...pki.foreignClient })),
      'live.connect',
      tls12.url,
    );
    expect(finding!.evidence).toContain(
      'the server closed the connection during the TLS handshake (as some servers do when they refuse the client certificate)',
    );
    expect(finding!.evidence).not.toContain('not an HTTP response');
  });

  it('fails when the endpoint requires a client certificate and none is given', async () => {
    const [finding] = expectFail(await check(await probeEndpoint({ url: strict.url, ca: pki.caPem })), 'live.client-cert', strict.url);
    expect(finding!.evidence).toContain('requires a client certificate and none was given');
    expect(finding!.fix).toContain('-cert and -key');
  });

  it('warns when the endpoint answers without a client certificate', async () => {
    const report = await check(await probeEndpoint({ url: open.url, ca: pki.caPem, ...pki.client }));
    expect(findings(report, 'live.client-cert', open.url, 'WARN')[0]!.evidence).toContain('client-cert-auth is off');
  });

  it('fails a served certificate that does not name the endpoint host', async () => {
    const [finding] = expectFail(
      await check(await probeEndpoint({ url: misnamed.url, ca: pki.caPem, ...pki.client })),
      'live.names',
      misnamed.url,
    );
    expect(finding!.evidence).toBe(
      'the served certificate names IP 127.0.0.22, not 127.0.0.1: clients fail with "x509: certificate is valid for ..., not 127.0.0.1"',
    );
  });

  it('fails a port that speaks plain http, and a closed port', async () => {
    const plain = createHttpServer((_, response) => response.end('ok'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    servers.push(plain);
    const plainUrl = `https://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    expectFail(await check(await probeEndpoint({ url: plainUrl, ca: pki.caPem })), 'live.connect', plainUrl);
    const closed = createHttpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `https://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const [finding] = expectFail(
      await check(await probeEndpoint({ url: closedUrl, ca: pki.caPem, timeoutMs: 2000 })),
      'live.connect',
      closedUrl,
    );
    expect(finding!.evidence).toContain('ECONNREFUSED');
  });
});
