/**
 * The numbers the study reports (CVPR 2025, "Analyzing the Synthetic-to-Real Domain Gap in 3D Hand
 * Pose Estimation"; /work/shared/paper/paper-summary.md), so the walkthrough can print ours beside them
 * (pure data). Errors are PA-MPJPE in cm on the FreiHAND evaluation set unless said otherwise.
 */

/** Table 1: trained on real (FreiHAND) vs synthetic (SynFrei); PA-MPJPE cm; ratio = real / synthetic. */
export const STUDY_RATIO = [
  { method: 'S2HAND', realCm: 0.99, synCm: 1.02, ratioPct: 97 },
  { method: 'CMR', realCm: 0.77, synCm: 0.85, ratioPct: 91 },
  { method: 'METRO', realCm: 0.69, synCm: 0.78, ratioPct: 88 },
  { method: 'MeshGraphormer', realCm: 0.69, synCm: 0.76, ratioPct: 91 },
  { method: 'simpleHand', realCm: 0.65, synCm: 0.77, ratioPct: 84 },
] as const;

/** Table 2: component ablation, PA-MPJPE cm on SynFrei → FreiHAND and SynDex → Dex-YCB. */
export const STUDY_ABLATION = [
  { row: '(i) No Arm', synFreiCm: 1.07, synDexCm: 0.9 },
  { row: '(ii) No Amplitude Aug.', synFreiCm: 1.11, synDexCm: 0.89 },
  { row: '(iii) No Object', synFreiCm: 1.07, synDexCm: 0.95 },
  { row: '(iv) Random Arm + Object', synFreiCm: 1.04, synDexCm: 0.92 },
  { row: '(v) Full', synFreiCm: 1.02, synDexCm: 0.87 },
] as const;

/** Scalar findings, each with the quantity our walkthrough measures for the same question. */
export const STUDY_FINDINGS = {
  /** synthetic images have smaller amplitude variance than real ones at every frequency (Fig. 2b) */
  amplitudeVarianceSynBelowReal: true,
  /** 20% of the real poses reach 90% of full-pose performance, 40% reach 97% */
  poseFractionFor90Pct: 0.2,
  poseFractionFor97Pct: 0.4,
  /** ~300 HDRIs (≈50% of 669) saturate background diversity */
  hdriSaturationFraction: 0.5,
  /** NIMBLE vs MANO joint definitions: PA-MPJPE 1.02 → 1.28 cm (+25%) */
  topologyPaMpjpeCm: { matched: 1.02, mismatched: 1.28, increasePct: 25 },
  /** synthetic-only S2HAND reaches 97% of real-trained performance */
  bestSynToRealPct: 97,
} as const;
