// Library bulk issuance rate (certificates per second) against the hardware's limit measured in
// the same process: the cheapest P-256 key generation node offers (ECDH) plus one ECDSA P-256
// signature, each timed on one core with nothing else around it, times the number of cores. No
// real program reaches that limit (it assumes both cores do nothing but those two operations).
// Prints one JSON line. Usage: node bench/bulk-rate.mjs N
import { createECDH, sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { defaultSigningPolicy, initCA, normaliseCertificateRequest } from '../dist/index.js';
import { generateKeyPair } from '../dist/keys/generate.js';
import { issueCertificate } from '../dist/signing/issue.js';
import { subjectFromSpec } from '../dist/signing/operations.js';

const count = Number(process.argv[2] ?? 5000);
const concurrency = 64;
const root = await initCA({ request: normaliseCertificateRequest({ CN: 'bench root' }) });
const profile = defaultSigningPolicy().defaultProfile;

async function pool(work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function issueAll() {
  const start = performance.now();
  await pool(async (i) => {
    const request = normaliseCertificateRequest({
      CN: `member-${i}`,
      hosts: [`10.0.${(i >> 8) & 255}.${i & 255}`, 'localhost', '127.0.0.1'],
    });
    const key = await generateKeyPair(request.key);
    await issueCertificate({ subject: subjectFromSpec(request, key), ca: root.authority, profile });
  });
  return count / ((performance.now() - start) / 1000);
}

/** Operations per second of `operation`, run `count` times in a row on this thread. */
function rateOf(operation) {
  const start = performance.now();
  for (let i = 0; i < count; i++) operation();
  return count / ((performance.now() - start) / 1000);
}

function hardwareLimit() {
  const payload = Buffer.alloc(400, 7);
  const keys = rateOf(() => createECDH('prime256v1').generateKeys());
  const signatures = rateOf(() => sign('sha256', payload, root.keyPair.privateKey));
  return availableParallelism() / (1 / keys + 1 / signatures);
}

await issueAll(); // warm-up: JIT and thread pool
const raw = hardwareLimit();
const library = await issueAll();
console.log(JSON.stringify({ count, library: Math.round(library), raw: Math.round(raw) }));
