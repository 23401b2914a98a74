/**
 * etcd-pki/lifecycle: a bundle over time. Expiration reports, renewals (same subject and SANs,
 * new validity), the three-phase CA rotation and its status, and the steps to deploy each.
 * Each returns a plan (a FileSet and what to do next); the caller writes it.
 */
export { readBundleInventory, type BundleInventory, type BundleCertificateFile, type LifecycleRole } from '../lifecycle/inventory.js';
export {
  expirationReport,
  bundleExpirationInputs,
  type ExpirationReport,
  type ExpirationReportOptions,
  type ExpirationEntry,
  type ExpirationInput,
  type ExpirationStatus,
} from '../lifecycle/expiration.js';
export { deployedCertificateRefs, deployedExpirationInputs } from '../lifecycle/deployed.js';
export { planRenewal, type PlanRenewalOptions, type RenewalPlan, type RenewSelection, type RenewedCertificate } from '../lifecycle/renew.js';
export { planCaRotation, type PlanCaRotationOptions, type CaRotationPlan, type RotationDeployment } from '../lifecycle/rotation/rotate-ca.js';
export { rotationStatus, rotationProbes, type RotationStatus, type RotationStatusOptions, type RotationProbes } from '../lifecycle/rotation/status.js';
export { assessDeployment, type AssessDeploymentOptions, type DeploymentAssessment } from '../lifecycle/deployment.js';
export { renderSteps } from '../lifecycle/steps.js';
