import type { CsrJson } from './types.js';

/** `print-defaults csr`: what `cfssl print-defaults csr` prints, key for key. */
export const EXAMPLE_CSR: CsrJson = {
  CN: 'example.net',
  hosts: ['example.net', 'www.example.net'],
  key: { algo: 'ecdsa', size: 256 },
  names: [{ C: 'US', ST: 'CA', L: 'San Francisco' }],
};
