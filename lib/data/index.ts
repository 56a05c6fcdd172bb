/** Dataset readers and writers (IO) and sample geometry. Import from the specific files in lib/, or from here in notebooks. */
export type { HandSample, Mat3 } from './types.ts';
export { readFreihand, FreihandWriter, writeFreihand, readPredictions, writePredictions, freihandSplits, imageId, labelFile, FREIHAND_VERSIONS, type FreihandSet, type FreihandReadOptions, type FreihandRecord, type Predictions } from './freihand.ts';
export { readDexYcb, readDexYcbLabels, readDexYcbIntrinsics, dexYcbSelection, type DexYcbSet } from './dexycb.ts';
export { readNpy, readNpz, parseNpy, encodeNpy, writeNpz, type NpyArray } from './npy.ts';
export { project, freihandScale, rootRelative, scaleNormalised, denormalise, handCropBox, cropK, mirrorSample, type CropBox } from './geometry.ts';
export { cropHand, type HandCrop } from './crop.ts';
export { download, fetchSource, sha256File, type FetchSource } from './fetch.ts';
export { FETCH_SOURCES, findSource } from './sources.ts';
