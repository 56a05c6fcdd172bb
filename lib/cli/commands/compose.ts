import path from 'node:path';
import { assertOutputDir } from '../../util/fsx.ts';
import type { Command } from '../command.ts';
import { optString, optNumber, optFlag, requirePositional, requireOption } from '../args.ts';
import { resolveDatasetArg } from '../../util/paths.ts';
import { composeDataset } from '../../analysis/compose-dataset.ts';
import type { FillMode, PairingMode } from '../../image/compose.ts';

const command: Command = {
  name: 'compose',
  summary: 'paste real arms and objects (or random colours) onto a synthetic set through soft masks',
  usage: `handgap compose <syntheticSet> --out <dir> [options]

Ĩ = (1 − M_obj − M_arm)·I_syn + (M_obj + M_arm)·I_real, masks soft, union clipped to 1.
Writes a FreiHAND-layout set (PNG images and label masks) with the synthetic labels carried over.

Masks: the donor's own label masks (labels, default), or a folder of label maps %08d.png or soft masks
arm/%08d.png, object/%08d.png (e.g. a segmenter's output).`,
  options: {
    out: { type: 'string', value: 'dir', description: 'output folder (required)' },
    donor: { type: 'string', value: 'set', description: 'set giving arms/objects', defaultText: 'the synthetic set itself' },
    masks: { type: 'string', value: 'labels|folder', default: 'labels', description: 'donor masks' },
    pairing: { type: 'string', choices: ['same-index', 'random', 'cyclic'], default: 'random', description: 'donor for each sample (same-index for pose-matched sets)' },
    fill: { type: 'string', choices: ['real', 'random-region', 'random-pixel'], default: 'real', description: 'real pixels or the random-RGB ablation' },
    seed: { type: 'integer', min: 0, default: 0, description: 'seed for pairing and random fills (recorded in handgap_dataset.json)' },
    'no-arm': { type: 'boolean', description: 'leave the arm out' },
    'no-object': { type: 'boolean', description: 'leave the objects out' },
    resize: { type: 'boolean', description: 'resize donor images/masks to the synthetic size instead of failing' },
    split: { type: 'string', value: 'name', description: 'split of both sets' },
  },
  async run(args) {
    const out = requireOption(args, 'out', 'dir');
    assertOutputDir(out, '--out');
    const fill = optString(args, 'fill') as FillMode;
    const pairing = optString(args, 'pairing') as PairingMode;
    const masks = optString(args, 'masks')!;
    const donor = optString(args, 'donor');
    const r = await composeDataset({
      syn: resolveDatasetArg(requirePositional(args, 0, 'synthetic set')), donor: donor ? resolveDatasetArg(donor) : undefined, out: path.resolve(out),
      masks: masks === 'labels' ? 'labels' : path.resolve(masks), pairing, fill, seed: optNumber(args, 'seed')!,
      arm: !optFlag(args, 'no-arm'), object: !optFlag(args, 'no-object'), resize: optFlag(args, 'resize'), split: optString(args, 'split'),
    });
    console.log(`composed ${r.count} samples into ${r.out}; mean occluded fraction of the hand ${(100 * r.meanOccludedFraction).toFixed(1)}%`);
  },
};
export default command;
