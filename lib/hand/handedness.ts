/**
 * Which hand a set of 3D joint labels shows, from the labels themselves (pure). Left and right hands are
 * mirror images, so the sign of a triple product tells them apart: with u = wrist → middle MCP, v = little
 * MCP → index MCP and n = u × v, fingers flex towards the palm, i.e. Σ (tip − MCP) · n > 0 for a left
 * hand and < 0 for a right one (any rotation, any camera). A flat or hyper-extended frame can vote wrong
 * (≈ 9% of the Leap right-hand frames), so a set is decided by majority; FreiHAND joint order (JOINTS21).
 */
export type Hand = 'left' | 'right';

const MCP = [5, 9, 13, 17]; // index, middle, ring, little MCP; their tips are MCP + 3

/** Signed flexion of one pose (flat 63 values from `offset`): > 0 left, < 0 right, 0 undecidable. */
export function chirality(j: ArrayLike<number>, offset = 0): number {
  const at = (k: number, c: number) => j[offset + 3 * k + c];
  const u = [0, 1, 2].map((c) => at(9, c) - at(0, c));
  const v = [0, 1, 2].map((c) => at(5, c) - at(17, c));
  const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  let s = 0;
  for (const m of MCP) for (let c = 0; c < 3; c++) s += (at(m + 3, c) - at(m, c)) * n[c];
  return s;
}

/** Majority vote over poses (flat arrays of 63 or one flat array of many): the set's hand and the fraction agreeing. */
export function handednessOfSet(poses: ArrayLike<number>[] | Float64Array): { hand: Hand; agreement: number; count: number } {
  const list: [ArrayLike<number>, number][] = poses instanceof Float64Array
    ? Array.from({ length: poses.length / 63 }, (_, i) => [poses, i * 63])
    : poses.map((p) => [p, 0]);
  let left = 0, right = 0;
  for (const [p, o] of list) { const s = chirality(p, o); if (s > 0) left++; else if (s < 0) right++; }
  const hand: Hand = left > right ? 'left' : 'right';
  return { hand, agreement: list.length ? Math.max(left, right) / list.length : 0, count: list.length };
}
