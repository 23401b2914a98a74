/**
 * etcd-pki/lifecycle: a bundle over time. Expiration reports, renewals (same subject and SANs,
 * new validity), the three-phase CA rotation and its status, and the steps to deploy each.
 * Each returns a plan (a FileSet and what to do next); the caller writes it.
 */
// Every function is exported through boundary(): whatever it is called with, it fails with a
// PkiError (issue 18). The CLI imports the modules themselves and pays nothing for this.
import { boundary } from '../boundary.js';
export { type BundleInventory, type BundleCertificateFile, type LifecycleRole } from '../lifecycle/inventory.js';
import { readBundleInventory as readBundleInventoryUnchecked } from '../lifecycle/inventory.js';
export const readBundleInventory = boundary('readBundleInventory', readBundleInventoryUnchecked) as typeof readBundleInventoryUnchecked;
export {
  type ExpirationReport,
  type ExpirationReportOptions,
  type ExpirationEntry,
  type ExpirationInput,
  type ExpirationStatus,
} from '../lifecycle/expiration.js';
import {
  expirationReport as expirationReportUnchecked,
  bundleExpirationInputs as bundleExpirationInputsUnchecked,
} from '../lifecycle/expiration.js';
export const expirationReport = boundary('expirationReport', expirationReportUnchecked) as typeof expirationReportUnchecked;
export const bundleExpirationInputs = boundary(
  'bundleExpirationInputs',
  bundleExpirationInputsUnchecked,
) as typeof bundleExpirationInputsUnchecked;
import {
  deployedCertificateRefs as deployedCertificateRefsUnchecked,
  deployedExpirationInputs as deployedExpirationInputsUnchecked,
} from '../lifecycle/deployed.js';
export const deployedCertificateRefs = boundary(
  'deployedCertificateRefs',
  deployedCertificateRefsUnchecked,
) as typeof deployedCertificateRefsUnchecked;
export const deployedExpirationInputs = boundary(
  'deployedExpirationInputs',
  deployedExpirationInputsUnchecked,
) as typeof deployedExpirationInputsUnchecked;
export { type PlanRenewalOptions, type RenewalPlan, type RenewSelection, type RenewedCertificate } from '../lifecycle/renew.js';
import { planRenewal as planRenewalUnchecked } from '../lifecycle/renew.js';
export const planRenewal = boundary('planRenewal', planRenewalUnchecked) as typeof planRenewalUnchecked;
export { type PlanCaRotationOptions, type CaRotationPlan, type RotationDeployment } from '../lifecycle/rotation/rotate-ca.js';
import { planCaRotation as planCaRotationUnchecked } from '../lifecycle/rotation/rotate-ca.js';
export const planCaRotation = boundary('planCaRotation', planCaRotationUnchecked) as typeof planCaRotationUnchecked;
export { type RotationStatus, type RotationStatusOptions, type RotationProbes } from '../lifecycle/rotation/status.js';
import { rotationStatus as rotationStatusUnchecked, rotationProbes as rotationProbesUnchecked } from '../lifecycle/rotation/status.js';
export const rotationStatus = boundary('rotationStatus', rotationStatusUnchecked) as typeof rotationStatusUnchecked;
export const rotationProbes = boundary('rotationProbes', rotationProbesUnchecked) as typeof rotationProbesUnchecked;
export { type AssessDeploymentOptions, type DeploymentAssessment } from '../lifecycle/deployment.js';
import { assessDeployment as assessDeploymentUnchecked } from '../lifecycle/deployment.js';
export const assessDeployment = boundary('assessDeployment', assessDeploymentUnchecked) as typeof assessDeploymentUnchecked;
import { renderSteps as renderStepsUnchecked } from '../lifecycle/steps.js';
export const renderSteps = boundary('renderSteps', renderStepsUnchecked) as typeof renderStepsUnchecked;
export { type PlanRevocationOptions, type RevocationPlan, type RevokedCertificate } from '../lifecycle/revocation.js';
import { planRevocation as planRevocationUnchecked } from '../lifecycle/revocation.js';
export const planRevocation = boundary('planRevocation', planRevocationUnchecked) as typeof planRevocationUnchecked;
