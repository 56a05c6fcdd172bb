import type { Command } from '../command.ts';
import { optString, optNumber } from '../args.ts';
import { HandgapError } from '../../util/errors.ts';
import { initBackend, describeBackend } from '../../train/backend.ts';
import { loadPoseModel, loadDataset, predictSamples, errorsMm } from '../../train/pose/train.ts';
import { writePredictions } from '../../data/freihand.ts';

const command: Command = {
  name: 'predict',
  summary: 'run a trained pose model on a dataset and write FreiHAND-format pred.json (read by handgap eval)',
  usage: `handgap predict --model <run dir | checkpoint dir> --data <dataset> --out pred.json [--split evaluation] [--limit N] [--backend NAME]

Crops come from the projected labels (as in training); the 3D output is put back into the camera frame
with the sample's scale (meta.scale, else its label) and root. Prints PA-MPJPE/MPJPE (mm) when labels exist.`,
  async run(args) {
    const dir = optString(args, 'model'), data = optString(args, 'data'), out = optString(args, 'out');
    if (!dir || !data || !out) throw new HandgapError('predict: --model, --data and --out are required');
    await initBackend({ force: optString(args, 'backend') });
    const { model, config } = await loadPoseModel(dir);
    const set = loadDataset({ path: data, split: optString(args, 'split'), limit: optNumber(args, 'limit') });
    console.error(`predict: ${describeBackend()}; ${set.samples.length} samples of ${set.name}`);
    const xyz = await predictSamples(model, set.samples, set.left, config.model.inputSize, config.margin);
    writePredictions(out, { xyz, verts: null });
    const e = errorsMm(set.samples.map((s) => s.xyz!), xyz);
    console.log(JSON.stringify({ out, count: xyz.length, paMpjpeMm: e.paMpjpeMm, mpjpeMm: e.mpjpeMm }));
    model.dispose();
    return 0;
  },
};
export default command;
