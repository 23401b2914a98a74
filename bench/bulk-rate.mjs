// Library bulk issuance rate (certificates per second) against the hardware's limit measured in
// the same process: raw P-256 key generation plus one signature per certificate, with the same
// concurrency on libuv's thread pool. Prints one JSON line. Usage: node bench/bulk-rate.mjs N
import { generateKeyPair as nodeGenerateKeyPair, sign } from 'node:crypto';
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
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++);
  }));
}

async function issueAll() {
  const start = performance.now();
  await pool(async (i) => {
    const request = normaliseCertificateRequest({ CN: `member-${i}`, hosts: [`10.0.${i >> 8 & 255}.${i & 255}`, 'localhost', '127.0.0.1'] });
    const key = await generateKeyPair(request.key);
    await issueCertificate({ subject: subjectFromSpec(request, key), ca: root.authority, profile });
  });
  return count / ((performance.now() - start) / 1000);
}

async function rawAll() {
  const payload = Buffer.alloc(400, 7);
  const start = performance.now();
  await pool(async () => {
    await new Promise((resolve, reject) =>
      nodeGenerateKeyPair('ec', { namedCurve: 'prime256v1' }, (error) => (error ? reject(error) : resolve())),
    );
    await new Promise((resolve, reject) =>
      sign('sha256', payload, root.keyPair.privateKey, (error) => (error ? reject(error) : resolve())),
    );
  });
  return count / ((performance.now() - start) / 1000);
}

await issueAll(); // warm-up: JIT and thread pool
const raw = await rawAll();
const library = await issueAll();
console.log(JSON.stringify({ count, library: Math.round(library), raw: Math.round(raw) }));
