import { assertOutputFile } from '../../util/fsx.ts';
import type { Command } from '../command.ts';
import { optString, optNumber, requireOption } from '../args.ts';
import { initBackend, describeBackend } from '../../train/backend.ts';
import { BACKEND_NAMES } from '../../train/backend-names.ts';
import { loadPoseModel, loadDataset, predictSamples } from '../../train/pose/train.ts';
import { TEST_VIEWS, TEST_VIEW_LIST } from '../../train/pose/config.ts';
import { InputError } from '../../util/errors.ts';
import { scorePredictions } from '../../metrics/score.ts';
import { writePredictions } from '../../data/freihand.ts';
import { writeJsonAtomic } from '../../util/fsx.ts';
import { refuseOverlap } from '../../util/lock.ts';
import { resolveDatasetArg } from '../../util/paths.ts';

const command: Command = {
  name: 'predict',
  summary: 'run a trained pose model on a dataset and write FreiHAND-format pred.json (read by handgap eval)',
  usage: `handgap predict --model <run dir | checkpoint dir> --data <dataset> --out pred.json [--split evaluation] [--limit N]
                [--hand left|right] [--confidence conf.json] [--views 1,0.9,1.1] [--backend NAME]

Predicts every image of the set, labelled or not: 21×3 joints in metres, camera frame, FreiHAND layout
([xyz, verts] with verts empty). The model's crop is the whole image (crop "image", the default; models
trained with crop "joints" need labels). The root depth comes from the camera K and the sample's scale
(<split>_scale.json, else the label's |joint 10 − joint 9|; see docs/training.md). --confidence writes the
21 heatmap peak probabilities per image. Each image is seen at the --views crop scales and the
predictions averaged (multi-scale testing, as the experiments score; --views 1 for one view). Prints
PA-MPJPE/MPJPE (mm) when the set has labels.`,
  options: {
    model: { type: 'string', value: 'dir', description: 'run folder or checkpoint folder (required)' },
    data: { type: 'string', value: 'dataset', description: 'FreiHAND-layout folder or known set name (required)' },
    out: { type: 'string', value: 'pred.json', description: 'predictions file (required)' },
    split: { type: 'string', value: 'name', description: 'label split', defaultText: 'training if present, else evaluation' },
    limit: { type: 'integer', min: 1, description: 'first N samples only' },
    hand: { type: 'string', choices: ['left', 'right'], description: 'hand side where the set does not say', defaultText: 'the set metadata, else read from its labels, else right' },
    confidence: { type: 'string', value: 'conf.json', description: 'also write the per-joint confidences (heatmap peaks)' },
    views: { type: 'string', value: 'list', description: 'crop side multipliers averaged per image (comma-separated, 0.5–2)', defaultText: TEST_VIEWS.join(',') },
    backend: { type: 'string', choices: BACKEND_NAMES, description: 'TensorFlow.js backend', defaultText: 'the fastest available' },
  },
  async run(args) {
    const dir = requireOption(args, 'model', 'dir'), data = requireOption(args, 'data', 'dataset'), out = requireOption(args, 'out', 'pred.json');
    assertOutputFile(out, '--out');
    const views = parseViews(optString(args, 'views'));
    refuseOverlap(out, [{ name: 'data set', path: resolveDatasetArg(data) }]); // inside it, pred.json could replace a label file
    refuseOverlap(out, [{ name: 'model folder', path: dir }], { allowInside: true });
    await initBackend({ force: optString(args, 'backend') });
    const model = await loadPoseModel(dir);
    const hand = optString(args, 'hand') as 'left' | 'right' | undefined;
    const set = loadDataset({ path: data, split: optString(args, 'split'), limit: optNumber(args, 'limit'), handedness: hand }, { unlabelled: true });
    console.error(`predict: ${describeBackend()}; ${set.samples.length} samples of ${set.name}`);
    const pred = await predictSamples(model, set.samples, set.left, { views });
    writePredictions(out, { xyz: pred.map((p) => p.xyz), verts: null });
    const conf = optString(args, 'confidence');
    if (conf) writeJsonAtomic(conf, pred.map((p) => p.confidence));
    const labelled = set.samples.every((s) => s.xyz);
    const e = labelled ? scorePredictions({ gt: set.samples.map((s) => s.xyz!), pred: pred.map((p) => p.xyz), replicates: 0 }) : null;
    console.log(JSON.stringify({ out, count: pred.length, ...(e ? { paMpjpeMm: e.paMpjpeMm, mpjpeMm: e.mpjpeMm } : { labels: 'none (no score)' }), ...(conf ? { confidence: conf } : {}) }));
    model.net.dispose();
    return 0;
  },
};
/** --views: comma-separated crop side multipliers in [0.5, 2]; absent = TEST_VIEWS. */
export function parseViews(raw: string | undefined): readonly number[] {
  if (raw === undefined) return TEST_VIEWS;
  const views = raw.split(',').map((x) => Number(x.trim()));
  if (!TEST_VIEW_LIST.safeParse(views).success) throw new InputError('--views', `got "${raw}"; expected comma-separated numbers in [0.5, 2], e.g. 1,0.9,1.1`);
  return views;
}

export default command;
