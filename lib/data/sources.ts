/**
 * Downloadable data sets. Sizes and SHA-256 values are filled in where they were published or
 * measured; where they are null the first download pins them (see fetchSource in fetch.ts).
 */
import type { FetchSource } from './fetch.ts';

export const FETCH_SOURCES: FetchSource[] = [
  {
    name: 'freihand',
    description: 'FreiHAND v2 (training 32,560 × 4 versions + evaluation images), lmb-freiburg; research use only',
    url: 'https://lmb.informatik.uni-freiburg.de/data/freihand/FreiHAND_pub_v2.zip',
    archive: 'FreiHAND_pub_v2.zip',
    size: null,
    sha256: null,
    into: 'freihand',
  },
  {
    name: 'freihand-eval',
    description: 'FreiHAND v2 evaluation labels (evaluation_xyz/verts/mano/scale.json), released after the challenge',
    url: 'https://lmb.informatik.uni-freiburg.de/data/freihand/FreiHAND_pub_v2_eval.zip',
    archive: 'FreiHAND_pub_v2_eval.zip',
    size: null,
    sha256: null,
    into: 'freihand',
  },
  {
    name: 'hgc',
    description: 'hand-graph-cnn repository archive (real-world test set: images, params.mat, pose_gt.mat), non-commercial research licence',
    url: 'https://github.com/3d-hand-shape/hand-graph-cnn/archive/2f59da3e7d9d78b8de0549b9600df6f44ca90fa0.zip',
    archive: 'hand-graph-cnn-2f59da3.zip',
    size: null,
    sha256: null,
    into: 'hgc-raw',
    warning: 'the archive contains all 583 real-world test images. Images 300..582 are the project\'s HOLD-OUT split: do not use them for development or tuning. The converted development split (0..299, FreiHAND layout) is ../shared/data/real/hgc-dev; converting the raw .mat labels is not done by this command.',
  },
  {
    name: 'dex-ycb',
    description: 'Dex-YCB (NVlabs), needs a licence form',
    url: null,
    manual: 'Dex-YCB is distributed only after accepting its licence at https://dex-ycb.github.io/ . Download the archives yourself and unpack them into <data>/dex-ycb so that it holds calibration/ and the subject folders (20200709-subject-01, ...). Then check it with `handgap data info <data>/dex-ycb --dexycb s0/test`.',
    into: 'dex-ycb',
  },
];

export function findSource(name: string): FetchSource | undefined { return FETCH_SOURCES.find((s) => s.name === name); }
