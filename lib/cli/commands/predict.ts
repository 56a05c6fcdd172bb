import type { Command } from '../command.ts';
import { optString, optNumber, requireOption } from '../args.ts';
import { initBackend, describeBackend } from '../../train/backend.ts';
import { BACKEND_NAMES } from '../../train/backend-names.ts';
import { loadPoseModel, loadDataset, predictSamples } from '../../train/pose/train.ts';
import { scorePredictions } from '../../metrics/score.ts';
import { writePredictions } from '../../data/freihand.ts';

const command: Command = {
  name: 'predict',
  summary: 'run a trained pose model on a dataset and write FreiHAND-format pred.json (read by handgap eval)',
  usage: `handgap predict --model <run dir | checkpoint dir> --data <dataset> --out pred.json [--split evaluation] [--limit N] [--backend NAME]

Crops come from the projected labels (as in training); the 3D output is put back into the camera frame
with the sample's scale (meta.scale, else its label) and root. Prints PA-MPJPE/MPJPE (mm) when labels exist.`,
  options: {
    model: { type: 'string', value: 'dir', description: 'run folder or checkpoint folder (required)' },
    data: { type: 'string', value: 'dataset', description: 'FreiHAND-layout folder or known set name (required)' },
    out: { type: 'string', value: 'pred.json', description: 'predictions file (required)' },
    split: { type: 'string', value: 'name', description: 'label split', defaultText: 'training if present, else evaluation' },
    limit: { type: 'integer', min: 1, description: 'first N samples only' },
    backend: { type: 'string', choices: BACKEND_NAMES, description: 'TensorFlow.js backend', defaultText: 'the fastest available' },
  },
  async run(args) {
    const dir = requireOption(args, 'model', 'dir'), data = requireOption(args, 'data', 'dataset'), out = requireOption(args, 'out', 'pred.json');
    await initBackend({ force: optString(args, 'backend') });
    const { model, config } = await loadPoseModel(dir);
    const set = loadDataset({ path: data, split: optString(args, 'split'), limit: optNumber(args, 'limit') });
    console.error(`predict: ${describeBackend()}; ${set.samples.length} samples of ${set.name}`);
    const xyz = await predictSamples(model, set.samples, set.left, config.model.inputSize, config.margin);
    writePredictions(out, { xyz, verts: null });
    const e = scorePredictions({ gt: set.samples.map((s) => s.xyz!), pred: xyz, replicates: 0 });
    console.log(JSON.stringify({ out, count: xyz.length, paMpjpeMm: e.paMpjpeMm, mpjpeMm: e.mpjpeMm }));
    model.dispose();
    return 0;
  },
};
export default command;
