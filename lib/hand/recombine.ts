/**
 * Finger recombination (pure): a 25-joint hand pose whose fingers are bent as in other poses of the same set.
 *
 * A real recording shows each gesture's fingers together, so a model trained on renders of its poses can recall
 * whole-hand templates instead of reading each finger from the image. Carrying single fingers over from other
 * poses of the same set gives new combinations of finger states the set itself holds (no finger bends in a way
 * the set never shows), which is where a model trained on a few hundred poses fails on new ones.
 *
 * Each finger's articulation is carried over in the palm's frame: the donor's palm is aligned rigidly onto the
 * base pose's palm (the rig's palm joints), and the finger's joints beyond its hinge are moved with that rotation
 * and attached at the base's hinge. Bone lengths are the donor's: the same rig fitted to the same hand, so they
 * match the base's up to the fit.
 */
import { fitSimilarity } from '../metrics/procrustes.ts';
import { RIG_PALM25 } from './skinning.ts';

/**
 * Per finger of the 25-joint skeleton (lib/hand/skeleton.ts JOINTS25): the joint it hinges at, which stays the
 * base pose's, and the joints beyond it, which take the donor's bend. The thumb hinges at its CMC (its opposition
 * is part of its articulation); the other fingers at the knuckle (MCP), their metacarpals being the palm's.
 */
export const FINGER_CHAINS25: readonly { finger: string; hinge: number; moved: readonly number[] }[] = [
  { finger: 'thumb', hinge: 1, moved: [2, 3, 4] },
  { finger: 'index', hinge: 6, moved: [7, 8, 9] },
  { finger: 'middle', hinge: 11, moved: [12, 13, 14] },
  { finger: 'ring', hinge: 16, moved: [17, 18, 19] },
  { finger: 'little', hinge: 21, moved: [22, 23, 24] },
];

const palmOf = (pose: readonly (readonly number[])[]): number[] => RIG_PALM25.flatMap((j) => [pose[j][0], pose[j][1], pose[j][2]]);

/**
 * `base` (25×3) with finger f bent as in `donors[f]` wherever `donors[f]` is given (null: the base's own finger).
 * Returns a new pose; the inputs are not changed.
 */
export function recombineFingers(base: readonly (readonly number[])[], donors: readonly (readonly (readonly number[])[] | null)[]): number[][] {
  if (base.length !== 25) throw new Error(`recombineFingers: expected 25 joints, got ${base.length}`);
  if (donors.length !== FINGER_CHAINS25.length) throw new Error(`recombineFingers: expected ${FINGER_CHAINS25.length} donors (one per finger, or null), got ${donors.length}`);
  const out = base.map((p) => [p[0], p[1], p[2]]);
  const basePalm = palmOf(base);
  donors.forEach((donor, f) => {
    if (!donor) return;
    if (donor.length !== 25) throw new Error(`recombineFingers: donor of finger ${f} has ${donor.length} joints, expected 25`);
    const { R } = fitSimilarity(palmOf(donor), basePalm, { withScale: false });
    const { hinge, moved } = FINGER_CHAINS25[f];
    for (const j of moved) {
      const d = [0, 1, 2].map((k) => donor[j][k] - donor[hinge][k]);
      for (let r = 0; r < 3; r++) out[j][r] = base[hinge][r] + R[r * 3] * d[0] + R[r * 3 + 1] * d[1] + R[r * 3 + 2] * d[2];
    }
  });
  return out;
}
