import path from 'node:path';
import { assertOutputDir } from '../../util/fsx.ts';
import type { Command } from '../command.ts';
import { optString, optNumber, optFlag, requirePositional } from '../args.ts';
import { resolveDatasetArg, cacheDir } from '../../util/paths.ts';
import { readFreihand } from '../../data/freihand.ts';
import { gapReport, skeletonSummary, spectrumSummary, realismSummary } from '../../analysis/gap-report.ts';
import { refuseOverlap } from '../../util/lock.ts';

const command: Command = {
  name: 'gap',
  summary: 'compare two datasets on the four gap factors (spectrum, poses, occlusion, skeleton) in one report',
  usage: `handgap gap <reference> <candidate> [options]

Sets are FreiHAND-layout folders or known names (hgc-dev, freihand-eval-samples, ...). Writes
report.md, report.html, gap.json and figures/*.{json,png,svg} to the output folder.
Direction: the reference (real) first, the candidate (synthetic) second; ratios are candidate ÷ reference
and bone-length offsets (candidate − reference) ÷ reference (negative: shorter in the candidate).`,
  options: {
    out: { type: 'string', value: 'dir', description: 'output folder', defaultText: '$HANDGAP_CACHE/gap/<candidate>-vs-<reference>' },
    split: { type: 'string', value: 'name', description: 'split to read in both sets', defaultText: 'training if present, else evaluation' },
    'max-images': { type: 'integer', min: 2, default: 200, description: 'images per set for the spectrum (seeded subsample)' },
    'max-poses': { type: 'integer', min: 1, default: 300, description: 'poses per set for the pose distance (cost n²)' },
    size: { type: 'integer', min: 8, max: 4096, value: 'px', description: 'common spectrum size (both sets resampled alike; at most the smaller native size)', defaultText: 'largest power of two below both native sizes' },
    probe: { type: 'integer', min: 0, default: 64, description: 'images per set for the realism probe (hand-landmark model trained on real photos; 0 = skip)' },
    seed: { type: 'integer', min: 0, default: 0, description: 'subsampling seed (recorded in gap.json)' },
    'no-png': { type: 'boolean', description: 'skip PNG/SVG export (no chromium needed)' },
  },
  async run(args) {
    const refArg = requirePositional(args, 0, 'reference'), candArg = requirePositional(args, 1, 'candidate');
    const split = optString(args, 'split');
    const load = (arg: string) => {
      const dir = resolveDatasetArg(arg);
      const set = readFreihand(dir, { split });
      // "…/render-<key>/data" → "render-<key>": the folder name that says what the set is
      const parts = path.resolve(dir).split(path.sep).filter(Boolean);
      const name = arg in { 'hgc-dev': 1, 'freihand-eval-samples': 1 } ? arg : ['data', 'training', 'evaluation'].includes(parts[parts.length - 1]) ? parts[parts.length - 2] : parts[parts.length - 1];
      return { name, dir, samples: set.samples };
    };
    const reference = load(refArg), candidate = load(candArg);
    if (reference.name === candidate.name) { reference.name += '-reference'; candidate.name += '-candidate'; }
    const out = path.resolve(optString(args, 'out') ?? path.join(cacheDir(), 'gap', `${candidate.name}-vs-${reference.name}`));
    assertOutputDir(out, '--out');
    refuseOverlap(out, [{ name: 'reference set', path: reference.dir }, { name: 'candidate set', path: candidate.dir }], { allowInside: true });
    const r = await gapReport(reference, candidate, {
      out, seed: optNumber(args, 'seed')!, maxImages: optNumber(args, 'max-images')!, maxPoses: optNumber(args, 'max-poses')!, size: optNumber(args, 'size'), probe: optNumber(args, 'probe')!, png: !optFlag(args, 'no-png'),
    });
    console.log(spectrumSummary(r));
    const probe = realismSummary(r);
    if (probe) console.log(probe);
    if (r.pose) console.log(`pose distance ${candidate.name} → nearest ${reference.name} ${r.pose.meanNearestCandidateToReferenceMm.toFixed(1)} mm; ${candidate.name} covered by ${reference.name} within 10 mm: ${(100 * r.pose.coverageOfCandidate[1].fraction).toFixed(0)}%`);
    console.log(skeletonSummary(r) ?? 'skeleton and poses skipped: no 3D labels in one set');
    if (r.skeleton) {
      const pr = r.skeleton.proportions;
      console.log(`bone ratio (median length ${candidate.name} ÷ ${reference.name}): ${r.skeleton.reference.bones.map((bn, i) => `${bn} ${pr.boneRatio[i].toFixed(2)}`).join(', ')}`);
      console.log(`proportions-only PA-MPJPE floor: ${pr.floorMm.toFixed(2)} mm (median ${pr.floorMedianMm.toFixed(2)} mm); bones outside ±10%: ${pr.boneRatio.filter((x) => Math.abs(x - 1) > 0.1).length} of ${pr.boneRatio.length}`);
    }
    console.log(`report: ${path.join(out, 'report.md')} (and report.html)`);
  },
};
export default command;
