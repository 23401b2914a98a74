import { join } from 'node:path';
import { certificateFacts } from '../../bundle/certificate-facts.js';
import { bundlePath, clientFileNames } from '../../bundle/layout.js';
import { formatGoDuration, parseGoDuration, type Milliseconds } from '../../duration.js';
import { PkiError } from '../../errors.js';
import { inputName, readInput, readTextInput } from '../../io/input.js';
import { readBundleFiles } from '../../io/read-bundle.js';
import { deployedCertificateRefs, deployedExpirationInputs } from '../../lifecycle/deployed.js';
import {
  bundleCrlInputs,
  bundleExpirationInputs,
  expirationReport,
  formatRemaining,
  type ExpirationInput,
} from '../../lifecycle/expiration.js';
import { formatExpirationTable } from '../../lifecycle/expiration-table.js';
import { readBundleInventory, type BundleInventory } from '../../lifecycle/inventory.js';
import { memberEndpoints } from '../../lifecycle/steps.js';
import { probeTls } from '../../net/tls-probe.js';
import { printable } from '../../printable.js';
import { parseCrl } from '../../x509/crl-read.js';
import { isSignedBy, parseCertificate } from '../../x509/parse.js';
import { DEFAULT_BUNDLE, type CheckExpirationFlags } from '../commands/check-expiration.js';
import type { CliContext } from '../context.js';
import { inBundle } from '../in-bundle.js';
import { goJson } from '../output.js';

/** `check-expiration`: see commands/check-expiration.ts for its flags. */
export async function run(context: CliContext, flags: CheckExpirationFlags): Promise<void> {
  const threshold = await parseThreshold(flags.threshold);
  if ((flags.cert === undefined) !== (flags.key === undefined)) {
    throw new PkiError('USAGE', '-cert and -key go together', { hint: 'give both, or neither' });
  }
  const explicitBundle = flags.bundle ?? flags.out;
  const bundleDir = explicitBundle ?? (flags.conf.length === 0 && flags.endpoint.length === 0 ? DEFAULT_BUNDLE : undefined);
  if (flags.verify && bundleDir === undefined) {
    throw new PkiError('USAGE', '-verify needs the bundle whose members it probes', { hint: 'give -bundle DIR' });
  }
  const inputs: ExpirationInput[] = [];
  const crls: { crl: ReturnType<typeof parseCrl>; location: string }[] = [];
  const problems: string[] = [];
  let inventory: BundleInventory | undefined;
  if (bundleDir !== undefined) {
    inventory = await readInventory(context, bundleDir, readBundleInventory);
    inputs.push(...bundleExpirationInputs(inventory).map((input) => ({ ...input, location: join(bundleDir, input.location) })));
    crls.push(...bundleCrlInputs(inventory, parseCrl).map((input) => ({ ...input, location: join(bundleDir, input.location) })));
  }
  if (flags.conf.length > 0) inputs.push(...(await deployedInputs(context, flags.conf, problems)));
  const endpoints = [...flags.endpoint];
  if (flags.verify && inventory) {
    endpoints.push(...memberEndpoints(inventory.cluster));
  }
  if (endpoints.length > 0) inputs.push(...(await endpointInputs(context, endpoints, flags, inventory, problems)));

  const report = expirationReport({ certificates: inputs, crls, now: new Date(), threshold });
  if (flags.json) {
    context.output.stdout(
      goJson(
        {
          now: report.now.toISOString(),
          threshold: formatGoDuration(threshold),
          expired: report.expired,
          expiring: report.expiring,
          certificates: report.entries.map((e) => ({
            status: e.status,
            role: e.role,
            owners: e.owners,
            commonName: e.commonName,
            serial: e.serial,
            fingerprint: e.fingerprint,
            issuer: e.issuerCommonName,
            ...(e.issuerKeyId ? { issuerKeyId: e.issuerKeyId } : {}),
            notBefore: e.notBefore.toISOString(),
            notAfter: e.notAfter.toISOString(),
            remainingSeconds: Math.floor(e.remaining / 1000),
            remaining: formatRemaining(e.remaining),
            locations: e.locations,
          })),
          crls: report.crls.map((c) => ({
            status: c.status,
            issuer: c.issuer,
            crlNumber: c.crlNumber ?? null,
            revoked: c.revoked,
            thisUpdate: c.thisUpdate.toISOString(),
            nextUpdate: c.nextUpdate?.toISOString() ?? null,
            remaining: c.nextUpdate ? formatRemaining(c.remaining) : null,
            locations: c.locations,
          })),
          problems,
        },
        '  ',
      ) + '\n',
    );
  } else {
    context.output.stdout(formatExpirationTable(report));
    for (const problem of problems) context.output.stderr(`etcd-pki: ${printable(problem)}\n`);
  }
  if (report.expired + report.expiring > 0 || problems.length > 0) {
    const parts = [
      ...(report.expired > 0 ? [`${report.expired} certificate(s) or CRL(s) expired`] : []),
      ...(report.expiring > 0 ? [`${report.expiring} expire within ${flags.threshold}`] : []),
      ...(problems.length > 0 ? [`${problems.length} could not be read`] : []),
    ];
    // Expired or expiring certificates are what the check looks for (exit 6); unreadable ones alone are bad input (exit 1).
    throw new PkiError(report.expired + report.expiring > 0 ? 'CHECK_FAILED' : 'INVALID_CERTIFICATE', parts.join(', '), {
      hint: 'renew them with etcd-pki renew (a CA with etcd-pki rotate-ca, a CRL with etcd-pki revoke -refresh); see the table above',
    });
  }
}

/** `720h`, `30d` or `30` (days). */
async function parseThreshold(text: string): Promise<Milliseconds> {
  const days = /^(\d+)d?$/.exec(text.trim());
  if (days) return Number(days[1]) * 86_400_000;
  return parseGoDuration(text, { file: '-threshold' });
}

async function readInventory(
  context: CliContext,
  dir: string,
  read: (files: ReadonlyMap<string, Uint8Array>) => BundleInventory,
): Promise<BundleInventory> {
  const files = await readBundleFiles(
    context.stdin,
    dir,
    (path) => path.endsWith('.pem') || path === 'manifest.json' || path === 'rotation.json',
  );
  if (!files.has('manifest.json')) {
    throw new PkiError('IO', 'there is no bundle here (no manifest.json)', {
      file: dir,
      hint: 'point -bundle at the directory cluster-bundle wrote, or check deployed files with -conf',
    });
  }
  try {
    return read(files);
  } catch (error) {
    throw inBundle(error, dir, files);
  }
}

async function deployedInputs(context: CliContext, confs: readonly string[], problems: string[]): Promise<ExpirationInput[]> {
  const configs = await Promise.all(
    confs.map(async (file) => ({ file: inputName(file), text: await readTextInput(file, context.stdin, 'etcdConfig') })),
  );
  const refs = deployedCertificateRefs(configs);
  const files = new Map<string, Uint8Array>();
  for (const path of new Set(refs.map((r) => r.path))) {
    try {
      files.set(path, await readInput(path, context.stdin, 'certificate'));
    } catch (error) {
      const ref = refs.find((r) => r.path === path)!;
      problems.push(`${ref.config} names ${path}, which could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return deployedExpirationInputs(refs, files);
}

async function endpointInputs(
  context: CliContext,
  endpoints: readonly string[],
  flags: CheckExpirationFlags,
  inventory: BundleInventory | undefined,
  problems: string[],
): Promise<ExpirationInput[]> {
  let credential: { certificate?: Uint8Array; key?: Uint8Array } = {};
  if (flags.cert !== undefined && flags.key !== undefined) {
    credential = {
      certificate: await readInput(flags.cert, context.stdin, 'certificate'),
      key: await readInput(flags.key, context.stdin, 'key'),
    };
  } else if (inventory) {
    const client = inventory.cluster.clients[0];
    const names = client ? clientFileNames(client.name) : undefined;
    const certificate = client && names ? inventory.files.get(bundlePath(client.name, names.certificate)) : undefined;
    const key = client && names ? inventory.files.get(bundlePath(client.name, names.key)) : undefined;
    if (certificate && key) credential = { certificate, key };
  }
  const results = await Promise.all(endpoints.map((url) => probeTls({ url, ...credential })));
  const inputs: ExpirationInput[] = [];
  for (const result of results) {
    if (!result.served) {
      problems.push(`${result.url} served no certificate: ${result.error ?? 'no handshake'}`);
      continue;
    }
    const certificate = parseCertificate(result.served, result.url);
    const commonName = certificateFacts(certificate).commonName;
    if (inventory && !(await issuedByBundle(certificate, inventory))) {
      // Not the bundle's: whoever serves it is not the member the bundle made (a stale or foreign
      // certificate, another service on the port), and its row says so instead of a member's name.
      problems.push(
        `${result.url} serves "${commonName}", which no CA of the bundle issued; it is not the certificate the bundle made for this member`,
      );
      inputs.push({
        certificate,
        role: endpointRole(result.url, certificate, undefined, commonName).role,
        owner: 'not from the bundle',
        location: result.url,
        source: 'endpoint',
      });
      continue;
    }
    const role = endpointRole(result.url, certificate, inventory, commonName);
    inputs.push({ certificate, ...role, location: result.url, source: 'endpoint' });
  }
  return inputs;
}

/** The certificate is one of the bundle's, or signed by one of its CA certificates. */
async function issuedByBundle(certificate: ExpirationInput['certificate'], inventory: BundleInventory): Promise<boolean> {
  const der = Buffer.from(certificate.der);
  const all = inventory.certificates.flatMap((file) => file.certificates);
  if (all.some((c) => der.equals(Buffer.from(c.der)))) return true;
  for (const file of inventory.certificates) {
    if (file.role !== 'ca') continue;
    for (const ca of file.certificates) if (await isSignedBy(certificate, ca).catch(() => false)) return true;
  }
  return false;
}

/** A served certificate's role: as the bundle lists it, else by the member whose port it is (peer or client port). */
function endpointRole(
  url: string,
  certificate: ExpirationInput['certificate'],
  inventory: BundleInventory | undefined,
  commonName: string,
): Pick<ExpirationInput, 'role' | 'owner'> {
  const same = inventory?.certificates.find((file) =>
    file.certificates.some((c) => Buffer.from(c.der).equals(Buffer.from(certificate.der))),
  );
  if (same) return { role: same.role, owner: same.owner };
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  const member = inventory?.cluster.members.find((m) => m.hosts.includes(host));
  const peer = member ? Number(port) === member.peerPort : port === '2380';
  return { role: peer ? 'peer' : 'server', owner: member?.name ?? (commonName || host) };
}
