export { schemeNeedsSecret, secretHeaderOf, verifierFor } from './registry';
export { VERIFICATION_SCHEMES } from './verifier';
export type { VerificationInput, VerificationResult, VerificationScheme, Verifier } from './verifier';
