import { describe, expect, it } from 'vitest';
import { readManifest, MANIFEST_FORMAT, FILE_ROLES } from '../../src/bundle/manifest.js';
import { expectPkiErrorSync } from '../support/errors.js';

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('readManifest', () => {
  it.each([
    {
      name: 'refuses a file that is not a bundle manifest',
      value: { files: [] },
      path: '/format',
      message: 'not an etcd-pki bundle manifest',
    },
    { name: 'refuses a manifest without a file list', value: { format: MANIFEST_FORMAT, cluster: {} }, path: '/files', message: '"files"' },
    {
      name: 'refuses a description the rules refuse, under /cluster',
      value: {
        format: MANIFEST_FORMAT,
        files: [],
        cluster: {
          members: [
            { name: 'a', hosts: ['10.0.0.1'] },
            { name: 'b', hosts: ['10.0.0.1'] },
          ],
        },
      },
      path: '/cluster/members/1/hosts/0',
      message: '10.0.0.1:2379',
    },
    { name: 'refuses broken JSON', value: '{"format": ', message: 'invalid JSON' },
  ])('$name', ({ value, path, message }) => {
    expectPkiErrorSync(() => readManifest(encode(value), 'out/manifest.json'), {
      code: path?.startsWith('/cluster') ? 'INVALID_CLUSTER' : 'INVALID_JSON',
      file: 'out/manifest.json',
      ...(path ? { path } : {}),
      message,
    });
  });

  it('reads the description back', () => {
    const { cluster } = readManifest(
      encode({ format: MANIFEST_FORMAT, files: [], cluster: { members: [{ name: 'a', hosts: ['10.0.0.1'] }] } }),
    );
    expect(cluster.members[0]!.name).toBe('a');
  });

  it('describes every role', () => {
    for (const [role, description] of Object.entries(FILE_ROLES)) expect(description, role).not.toBe('');
  });
});
