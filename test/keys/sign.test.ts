import { describe, expect, it } from 'vitest';
import { SIGNATURE_ALGORITHMS } from '../../src/keys/algorithms.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { signBytes, verifyBytes } from '../../src/keys/sign.js';

const ecdsa = SIGNATURE_ALGORITHMS.ecdsaWithSHA256;

describe('signBytes', async () => {
  const { privateKey, publicKey } = await generateKeyPair({ algo: 'ecdsa', size: 256 });

  it('signs each of many requests made in one turn with its own data (they are handed over together)', async () => {
    const messages = Array.from({ length: 100 }, (_, i) => Uint8Array.of(i, i + 1, i + 2));
    const signatures = await Promise.all(messages.map((data) => signBytes(privateKey, ecdsa, data)));
    const checks = await Promise.all(signatures.map((signature, i) => verifyBytes(publicKey, ecdsa, messages[i]!, signature)));
    expect(checks.every(Boolean)).toBe(true);
    // Each signature belongs to its own message only.
    expect(await verifyBytes(publicKey, ecdsa, messages[1]!, signatures[0]!)).toBe(false);
  });

  it('rejects a request that node refuses at once, without failing the others of its turn', async () => {
    const results = await Promise.allSettled([
      signBytes(privateKey, ecdsa, Uint8Array.of(1)),
      signBytes(publicKey, ecdsa, Uint8Array.of(2)),
      signBytes(privateKey, ecdsa, Uint8Array.of(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('signs a request alone in its turn at once, and refuses a lone one that node refuses', async () => {
    const data = Uint8Array.of(7, 8, 9);
    const signature = await signBytes(privateKey, ecdsa, data);
    expect(await verifyBytes(publicKey, ecdsa, data, signature)).toBe(true);
    await expect(signBytes(publicKey, ecdsa, data)).rejects.toThrow();
  });
});
