import path from 'node:path';
import type { Command } from '../command.ts';
import { optString, optNumber, optFlag, requirePositional } from '../args.ts';
import { resolveDatasetArg, cacheDir } from '../../util/paths.ts';
import { readFreihand } from '../../data/freihand.ts';
import { gapReport } from '../../analysis/gap-report.ts';

const command: Command = {
  name: 'gap',
  summary: 'compare two datasets on the four gap factors (spectrum, poses, occlusion, skeleton) in one report',
  usage: `handgap gap <setA> <setB> [options]

Sets are FreiHAND-layout folders or known names (hgc-dev, freihand-eval-samples, ...). Writes
report.md, report.html, gap.json and figures/*.{json,png,svg} to the output folder.
Convention: A is the reference (usually real), B the set under study (usually synthetic).`,
  options: {
    out: { type: 'string', value: 'dir', description: 'output folder', defaultText: '$HANDGAP_CACHE/gap/<A>-vs-<B>' },
    split: { type: 'string', value: 'name', description: 'split to read in both sets', defaultText: 'training if present, else evaluation' },
    'max-images': { type: 'integer', min: 2, default: 200, description: 'images per set for the spectrum (seeded subsample)' },
    'max-poses': { type: 'integer', min: 1, default: 300, description: 'poses per set for the pose distance (cost nA·nB)' },
    size: { type: 'integer', min: 8, max: 4096, default: 128, value: 'px', description: 'spectrum image size' },
    seed: { type: 'integer', min: 0, default: 0, description: 'subsampling seed (recorded in gap.json)' },
    'no-png': { type: 'boolean', description: 'skip PNG/SVG export (no chromium needed)' },
  },
  async run(args) {
    const argA = requirePositional(args, 0, 'setA'), argB = requirePositional(args, 1, 'setB');
    const split = optString(args, 'split');
    const load = (arg: string) => {
      const dir = resolveDatasetArg(arg);
      const set = readFreihand(dir, { split });
      // "…/render-<key>/data" → "render-<key>": the folder name that says what the set is
      const parts = path.resolve(dir).split(path.sep).filter(Boolean);
      const name = arg in { 'hgc-dev': 1, 'freihand-eval-samples': 1 } ? arg : ['data', 'training', 'evaluation'].includes(parts[parts.length - 1]) ? parts[parts.length - 2] : parts[parts.length - 1];
      return { name, dir, samples: set.samples };
    };
    const a = load(argA), b = load(argB);
    if (a.name === b.name) { a.name += '-A'; b.name += '-B'; }
    const out = path.resolve(optString(args, 'out') ?? path.join(cacheDir(), 'gap', `${a.name}-vs-${b.name}`));
    const r = await gapReport(a, b, {
      out, seed: optNumber(args, 'seed')!, maxImages: optNumber(args, 'max-images')!, maxPoses: optNumber(args, 'max-poses')!, size: optNumber(args, 'size')!, png: !optFlag(args, 'no-png'),
    });
    console.log(`${a.name} vs ${b.name}: amplitude variance ratio B/A ${r.spectrum.meanVarianceRatioBtoA.toFixed(3)}; ${r.pose && r.skeleton ? `pose distance B→A ${r.pose.meanNearestBtoAMm.toFixed(1)} mm, coverage@10mm ${(100 * r.pose.coverageOfB[1].fraction).toFixed(0)}%; skeleton offset ${r.skeleton.offset.meanAbsPct.toFixed(1)}%` : 'no 3D labels in one set'}`);
    if (r.skeleton) {
      const pr = r.skeleton.proportions;
      console.log(`bone ratio (median length ${b.name} ÷ ${a.name}): ${r.skeleton.a.bones.map((bn, i) => `${bn} ${pr.boneRatio[i].toFixed(2)}`).join(', ')}`);
      console.log(`proportions-only PA-MPJPE floor: ${pr.floorMm.toFixed(2)} mm (median ${pr.floorMedianMm.toFixed(2)} mm); bones outside ±10%: ${pr.boneRatio.filter((x) => Math.abs(x - 1) > 0.1).length} of ${pr.boneRatio.length}`);
    }
    console.log(`report: ${path.join(out, 'report.md')} (and report.html)`);
  },
};
export default command;
