/** Joint geometry for drawing (pure): projection with K and the bones of the 21-joint skeleton. */
import { PARENTS21 } from '../hand/skeleton.ts';
import { InputError } from '../util/errors.ts';

/** Project camera-frame points (N×3, metres, OpenCV: z forward) with K (3×3) to pixels (N×2). */
export function projectPoints(xyz: ArrayLike<number>[], K: ArrayLike<number>[]): [number, number][] {
  return xyz.map((p, i) => {
    if (!(p[2] > 0)) throw new InputError(`joints[${i}]`, `z = ${p[2]} m; the point is not in front of the camera`);
    return [(K[0][0] * p[0] + K[0][1] * p[1]) / p[2] + K[0][2], (K[1][1] * p[1]) / p[2] + K[1][2]];
  });
}

/** Bones as (parent, child) index pairs with the finger index (0 thumb .. 4 little). */
export function bones21(): { parent: number; child: number; finger: number }[] {
  const out: { parent: number; child: number; finger: number }[] = [];
  for (let j = 1; j < PARENTS21.length; j++) out.push({ parent: PARENTS21[j], child: j, finger: Math.floor((j - 1) / 4) });
  return out;
}
