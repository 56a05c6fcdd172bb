import path from 'node:path';
import type { Command } from '../command.ts';
import { optString, optNumber, optFlag, requirePositional } from '../args.ts';
import { resolveDatasetArg } from '../../util/paths.ts';
import { InputError } from '../../util/errors.ts';
import { composeDataset } from '../../analysis/compose-dataset.ts';
import type { FillMode, PairingMode } from '../../image/compose.ts';

const command: Command = {
  name: 'compose',
  summary: 'paste real arms and objects (or random colours) onto a synthetic set through soft masks',
  usage: `handgap compose <syntheticSet> --out <dir> [options]

Ĩ = (1 − M_obj − M_arm)·I_syn + (M_obj + M_arm)·I_real, masks soft, union clipped to 1.
Writes a FreiHAND-layout set (PNG images and label masks) with the synthetic labels carried over.

Options:
  --donor <set>            set giving arms/objects (default: the synthetic set itself)
  --masks labels|<folder>  donor masks: the donor's own label masks (default), or a folder of label maps
                           %08d.png or soft masks arm/%08d.png, object/%08d.png (e.g. a segmenter's output)
  --pairing same-index|random|cyclic   donor for each sample (default random; same-index for pose-matched sets)
  --fill real|random-region|random-pixel   real pixels (default) or the random-RGB ablation
  --seed <n>               seed for pairing and random fills (default 0; recorded in handgap_dataset.json)
  --no-arm, --no-object    leave one component out
  --resize                 resize donor images/masks to the synthetic size instead of failing
  --split <name>           split of both sets`,
  async run(args) {
    const out = optString(args, 'out');
    if (!out) throw new InputError('--out', 'an output folder is required');
    const fill = (optString(args, 'fill') ?? 'real') as FillMode;
    if (!['real', 'random-region', 'random-pixel'].includes(fill)) throw new InputError('--fill', `"${fill}" is not real, random-region or random-pixel`);
    const pairing = (optString(args, 'pairing') ?? 'random') as PairingMode;
    const masks = optString(args, 'masks') ?? 'labels';
    const donor = optString(args, 'donor');
    const r = await composeDataset({
      syn: resolveDatasetArg(requirePositional(args, 0, 'synthetic set')), donor: donor ? resolveDatasetArg(donor) : undefined, out: path.resolve(out),
      masks: masks === 'labels' ? 'labels' : path.resolve(masks), pairing, fill, seed: optNumber(args, 'seed', 0),
      arm: !optFlag(args, 'no-arm'), object: !optFlag(args, 'no-object'), resize: optFlag(args, 'resize'), split: optString(args, 'split'),
    });
    console.log(`composed ${r.count} samples into ${r.out}; mean occluded fraction of the hand ${(100 * r.meanOccludedFraction).toFixed(1)}%`);
  },
};
export default command;
