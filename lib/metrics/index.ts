/** FreiHAND-compatible metrics (pure). */
export { pairwiseSum, npMean, linspace, trapz, median } from './numeric.ts';
export { svd3, det3 } from './svd3.ts';
export { toPoints, toNested, pointDistances, type Points } from './points.ts';
export { alignWithScale, similarityTrafo, applyTrafo, alignRoot, type ReflectionMode, type SimilarityTrafo } from './procrustes.ts';
export { KeypointErrors, type KeypointMeasures } from './keypoint-eval.ts';
export { fscore, fFromPR, ProximityGrid, nearestDistances, type FScore } from './fscore.ts';
export { evaluateFreihand, type EvalInput, type EvalOptions, type FreihandEvalReport, type MeasureReport } from './freihand-eval.ts';
export { pck2d, type Pck2dReport } from './pck2d.ts';
export { pyFixed } from './format.ts';
export { mpjpe, paMpjpe } from './mpjpe.ts';
export { scorePredictions, scoreSummary, type ScoreInput, type Score, type ScoreReport, type Pose } from './score.ts';
export { constantPosePredictions, bestMatchPredictions, meanRootRelativePose, tInterval95, bootstrapInterval95, tQuantile975, type Interval } from './baselines.ts';
