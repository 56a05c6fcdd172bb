/**
 * The Python side of the renderer reads the project's format constants (mask labels, the 25-joint skeleton)
 * from one generated file,
 * lib/synth/blender/constants.py. This module writes its text from the TypeScript owners; the test
 * test/synth/blender-constants.test.ts regenerates it and compares, and
 * `node --import tsx lib/synth/blender-constants.ts` rewrites the file after a change.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABEL, MASK_BYTES, LABEL_NAMES } from '../data/mask-labels.ts';
import { JOINTS25, PARENTS25, MAP_25_TO_21 } from '../hand/skeleton.ts';
import { writeFileAtomic } from '../util/fsx.ts';
import { INDEX_DIR_PREFIX } from './worker.ts';
import { MIXED_INDEX } from './denoise.ts';

export const BLENDER_CONSTANTS_FILE = fileURLToPath(new URL('./blender/constants.py', import.meta.url));

export function blenderConstantsPy(): string {
  const dict = (entries: [string | number, number][]) => `{${entries.map(([k, v]) => `${typeof k === 'string' ? `'${k}'` : k}: ${v}`).join(', ')}}`;
  return [
    '"""Format constants of the renderer, GENERATED from lib/data/mask-labels.ts, lib/hand/skeleton.ts, lib/synth/denoise.ts and lib/synth/worker.ts; do not edit.',
    'Regenerate with: node --import tsx lib/synth/blender-constants.ts"""',
    '',
    '# label name -> object pass index (the label id of the analysis code)',
    `PASS_INDEX = ${dict(LABEL_NAMES.map((n) => [n, LABEL[n]]))}`,
    '',
    '# object pass index -> byte in the rendered mask PNG',
    `MASK_BYTE = ${dict(LABEL_NAMES.map((n) => [LABEL[n], MASK_BYTES[n]]))}`,
    '',
    '# the 25-joint skeleton of the hand asset (names, parent of each joint, the 21 joints of the labels)',
    `JOINTS25 = [${JOINTS25.map((n) => `'${n}'`).join(', ')}]`,
    `PARENTS25 = [${PARENTS25.join(', ')}]`,
    `MAP_25_TO_21 = [${MAP_25_TO_21.join(', ')}]`,
    '',
    '# per-worker scratch folder in the temp dir: <prefix><pid>-<start ticks>-<token> (stale ones removed by lib/synth/worker.ts)',
    `INDEX_DIR_PREFIX = '${INDEX_DIR_PREFIX}'`,
    '',
    '# object index in the denoiser passes of a supersampled pixel whose sub-pixels show different objects',
    `MIXED_INDEX = ${MIXED_INDEX}`,
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileAtomic(BLENDER_CONSTANTS_FILE, blenderConstantsPy());
  console.log(`wrote ${path.relative(process.cwd(), BLENDER_CONSTANTS_FILE)}`);
}
