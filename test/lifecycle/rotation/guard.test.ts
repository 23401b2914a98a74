// Regression for the lifecycle helper's finding: re-running cluster-bundle (or add-member) in the
// middle of a CA rotation rewrote every ca.pem with one CA and undid the rotation's trust bundle.
import { describe, expect, it } from 'vitest';
import { planAddMember } from '../../../src/bundle/add-member.js';
import { planCaRotation } from '../../../src/lifecycle/rotation/rotate-ca.js';
import { validateClusterDescription } from '../../../src/bundle/load.js';
import { planClusterBundle } from '../../../src/bundle/plan.js';
import { PkiError } from '../../../src/errors.js';
import { MADE, THREE_MEMBERS, apply, crypto, makeBundle } from '../bundle.js';

describe('a CA rotation in progress', () => {
  it('makes cluster-bundle and add-member refuse, naming the phase to run next', async () => {
    const bundle = await makeBundle();
    const phaseOne = await planCaRotation({ bundle, phase: 1, now: MADE, crypto });
    const rotating = apply(bundle, phaseOne);

    const rerun = planClusterBundle({ cluster: validateClusterDescription(THREE_MEMBERS), existing: rotating, now: MADE, crypto });
    await expect(rerun).rejects.toBeInstanceOf(PkiError);
    await expect(rerun).rejects.toMatchObject({ code: 'INVALID_CLUSTER', hint: expect.stringContaining('rotate-ca -phase 2') });

    const add = planAddMember({ bundle: rotating, member: { name: 'etcd4', hosts: ['127.0.0.34'] }, now: MADE, crypto });
    await expect(add).rejects.toMatchObject({ code: 'INVALID_CLUSTER', message: expect.stringContaining('CA rotation is in progress') });
  });

  it('lets cluster-bundle re-run over a bundle with no rotation', async () => {
    const bundle = await makeBundle();
    const rerun = await planClusterBundle({ cluster: validateClusterDescription(THREE_MEMBERS), existing: bundle, now: MADE, crypto });
    expect(rerun.files.length).toBeGreaterThan(0);
  });
});
