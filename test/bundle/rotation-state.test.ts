import { describe, expect, it } from 'vitest';
import { lastPhase, readRotationState, rotationInProgress, type RotationState } from '../../src/bundle/rotation-state.js';
import { expectPkiErrorSync } from '../support/errors.js';

const CA = { commonName: 'ETCD Root CA', serial: '01', fingerprint: 'AA:BB', notAfter: '2031-01-01T00:00:00Z' };
const VALID: RotationState = {
  format: 'etcd-pki ca rotation 1',
  oldCa: CA,
  newCa: { ...CA, commonName: 'ETCD Root CA 2026-06-02' },
  phases: [{ phase: 1, writtenAt: '2026-06-02T10:00:00Z' }],
};
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('rotation.json', () => {
  it('reads a valid state', () => {
    const state = readRotationState(bytes(VALID));
    expect(state).toEqual(VALID);
    expect(lastPhase(state)).toBe(1);
    expect(rotationInProgress(state)).toBe(true);
    expect(rotationInProgress(undefined)).toBe(false);
    expect(rotationInProgress({ ...VALID, phases: [1, 2, 3].map((phase) => ({ phase, writtenAt: 'x' })) } as RotationState)).toBe(false);
  });

  it.each([
    {
      name: 'another format',
      value: { ...VALID, format: 'etcd-pki bundle 1' },
      path: '/format',
      message: 'is not an etcd-pki CA rotation',
    },
    { name: 'a CA without fingerprint', value: { ...VALID, newCa: { commonName: 'x' } }, path: '/newCa', message: 'no complete CA record' },
    {
      name: 'phases out of order',
      value: { ...VALID, phases: [{ phase: 2, writtenAt: 'x' }] },
      path: '/phases/0',
      message: 'lists phase 1 wrongly',
    },
    { name: 'no phase list', value: { ...VALID, phases: 'one' }, path: '/phases', message: 'has no phase list' },
    { name: 'a history that is no list', value: { ...VALID, history: {} }, path: '/history', message: 'not a list' },
  ])('refuses $name, naming where', ({ value, path, message }) => {
    expectPkiErrorSync(() => readRotationState(bytes(value)), {
      code: 'INVALID_JSON',
      file: 'rotation.json',
      path,
      message,
      hint: 'rotate-ca status',
    });
  });

  it('refuses JSON that is not JSON', () => {
    expectPkiErrorSync(() => readRotationState(new TextEncoder().encode('{"format":')), { code: 'INVALID_JSON', file: 'rotation.json' });
  });
});
