/**
 * The per-pixel label format of hand masks: the one definition of label ids and mask bytes.
 *
 * A label id is what the analysis code works with (and the Blender object pass index the renderer
 * tags each object with); the mask byte is what a rendered mask PNG stores for that label. The hand
 * is 255 so FreiHAND-style readers that threshold masks at 128 see the hand. The Blender side reads
 * both from lib/synth/blender/constants.py, generated from this file (lib/synth/blender-constants.ts).
 */
export const LABEL = { background: 0, hand: 1, forearm: 2, object: 3 } as const;
export type LabelName = keyof typeof LABEL;

/** Byte per label in the rendered mask PNGs. */
export const MASK_BYTES = { background: 0, hand: 255, forearm: 128, object: 64 } as const;

export const LABEL_NAMES = Object.keys(LABEL) as LabelName[];
