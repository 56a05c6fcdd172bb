/**
 * Train / held-out split of real pose sets for the occlusion prior (pure). Consecutive frames of a
 * recording are nearly identical, so poses are split by group, never by frame: a Leap recording file is
 * one group; other sets are cut into blocks of `blockSize` consecutive poses. A group is held out when a
 * seeded draw for (seed, set name, group) falls below `testFraction`.
 */
import { Rng } from '../../util/rng.ts';
import type { PoseSet } from '../../data/pose-sets.ts';
import { priorVectors, D } from './poses.ts';

export interface PriorSplit { train: Float32Array; test: Float32Array; trainCount: number; testCount: number; testGroups: string[] }

export function groupOf(set: PoseSet, i: number, blockSize: number): string {
  const frames = set.meta.frames as string[] | undefined;
  if (frames && frames[i]) return frames[i].split('#')[0];
  return `block${Math.floor(i / blockSize)}`;
}

export function splitPoseSets(sets: PoseSet[], opts: { seed: number; testFraction: number; blockSize?: number }): PriorSplit {
  const trainParts: Float32Array[] = [], testParts: Float32Array[] = [];
  const testGroups: string[] = [];
  for (const set of sets) {
    const vecs = priorVectors(set.joints, set.count, set.handedness);
    const held = new Map<string, boolean>();
    for (let i = 0; i < set.count; i++) {
      const g = groupOf(set, i, opts.blockSize ?? 50);
      if (!held.has(g)) {
        const h = Rng.derive(opts.seed, 'prior-split', set.name, g).random() < opts.testFraction;
        held.set(g, h);
        if (h) testGroups.push(`${set.name}:${g}`);
      }
      (held.get(g) ? testParts : trainParts).push(vecs.subarray(i * D, i * D + D));
    }
  }
  const pack = (parts: Float32Array[]) => { const out = new Float32Array(parts.length * D); parts.forEach((p, k) => out.set(p, k * D)); return out; };
  return { train: pack(trainParts), test: pack(testParts), trainCount: trainParts.length, testCount: testParts.length, testGroups };
}
