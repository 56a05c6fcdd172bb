/**
 * The 25-joint hand model, skeleton conventions, pose statistics and fitting (package entry `handgap/hand`).
 */
export { JOINTS21, PARENTS21, JOINTS25, PARENTS25, FINGERS, MAP_25_TO_21, type Joint21, type Joint25, type Finger } from './skeleton.ts';
export { makeShape, forwardKinematics, forwardKinematicsBatch, joints21From25, zeroAngles, clampAngles, withinLimits, boneLengths25, DOFS, N_DOF, type HandShape, type HandPose } from './model.ts';
export { toCanonical21, fromCanonical21, TO21, type SkeletonName } from './joint-maps.ts';
export { comparePoseSets, jointAngles, angleDistributions, alignPoses, coverage, mmd2, wasserstein1, type PoseSetComparison } from './stats.ts';
export { fitPose, fitPoseSet, type FitOptions, type FitResult } from './fit.ts';
export { sampleUniformAngles, fitAnglePrior, samplePriorAngles, nestedSubsets } from './sampler.ts';
export { chirality, handednessOfSet } from './handedness.ts';
