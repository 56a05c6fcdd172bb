import path from 'node:path';
import fs from 'node:fs';
import type { Command } from '../command.ts';
import { optString, optFlag, optNumber, requirePositional, requireOption } from '../args.ts';
import { resolveDatasetArg } from '../../util/paths.ts';
import { InputError } from '../../util/errors.ts';
import { writeJsonAtomic, writeFileAtomic, assertOutputDir } from '../../util/fsx.ts';
import { Progress } from '../../util/progress.ts';
import { readFreihand, readPredictions } from '../../data/freihand.ts';
import { project } from '../../data/geometry.ts';
import { pck2d, type ReflectionMode } from '../../metrics/index.ts';
import { scorePredictions } from '../../metrics/score.ts';
import { scoreRows, scoreTableText, scoreMarkdown } from '../../metrics/report.ts';
import { refuseOverlap } from '../../util/lock.ts';

const command: Command = {
  name: 'eval',
  summary: 'score predictions (FreiHAND pred.json format) against a dataset with the official FreiHAND metrics',
  usage: `handgap eval <pred.json> --gt <dataset> [options]

<pred.json>: predictions in FreiHAND's submission format [xyz_list, verts_list] (metres, camera frame).
Writes scores.json (every number, metres and cm labelled), scores.md, scores.txt (official format)
and pck_data.json (official format: thresholds in cm) and prints the score table.`,
  options: {
    gt: { type: 'string', value: 'dataset', description: 'FreiHAND-layout folder or known set name (hgc-dev, freihand, ...); required' },
    split: { type: 'string', value: 'name', description: 'label split in that folder', defaultText: 'training if present, else evaluation' },
    out: { type: 'string', value: 'dir', description: 'output folder', defaultText: '<pred>.eval next to the prediction file' },
    reflection: { type: 'string', choices: ['allow', 'proper'], default: 'allow', description: 'allow (official) | proper (det R = +1)' },
    'no-verts': { type: 'boolean', description: 'ignore ground-truth meshes even if <split>_verts.json exists' },
    'pck2d-max': { type: 'number', above: 0, max: 10000, default: 30, value: 'px', description: 'upper end of the 2D PCK curve in pixels' },
  },
  async run(args) {
    const predFile = path.resolve(requirePositional(args, 0, '<pred.json>'));
    const gtArg = requireOption(args, 'gt', 'dataset');
    const gtDir = resolveDatasetArg(gtArg);
    const reflection = optString(args, 'reflection') as ReflectionMode;
    const outDir = path.resolve(optString(args, 'out') ?? predFile.replace(/\.json$/i, '') + '.eval');
    assertOutputDir(outDir, optString(args, 'out') ? '--out' : 'output folder (<pred>.eval)');
    refuseOverlap(outDir, [{ name: 'ground-truth set', path: gtDir }, { name: 'predictions file', path: predFile }], { allowInside: true });
    const set = readFreihand(gtDir, { split: optString(args, 'split'), verts: !optFlag(args, 'no-verts'), checkImages: false });
    const labelled = set.samples.filter((s) => s.xyz);
    if (labelled.length !== set.samples.length) throw new InputError(gtDir, `split "${set.split}" has no 3D labels (${set.split}_xyz.json); it cannot be used as ground truth`);
    const pred = readPredictions(predFile, { expectedCount: set.samples.length });
    const useVerts = !!(pred.verts && set.samples[0]?.verts);
    const progress = new Progress({ label: 'eval', total: set.samples.length, unit: 'samples' });
    const t0 = performance.now();
    let seen = 0;
    const score = scorePredictions({
      gt: set.samples.map((s) => s.xyz!), pred: pred.xyz,
      gtVerts: useVerts ? set.samples.map((s) => s.verts!) : undefined, predVerts: useVerts ? pred.verts! : undefined,
      reflection, where: { gt: String(set.files.xyz), pred: `${predFile}: xyz_list` }, onProgress: (d) => { progress.tick(d - seen); seen = d; },
    });
    const report = score.freihand;
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = (performance.now() - t0) / 1000;
    const p2 = pck2d(set.samples.map((s) => project(s.xyz!, s.K).flat()), set.samples.map((s, i) => project(pred.xyz[i], s.K).flat()), { maxPx: optNumber(args, 'pck2d-max')! });
    const rows = scoreRows(report, p2);
    const meta = { predictions: predFile, ground_truth: `${gtDir} (${set.split})`, meshes: useVerts ? 'yes' : 'no (xyz only)' };
    fs.mkdirSync(outDir, { recursive: true });
    writeJsonAtomic(path.join(outDir, 'scores.json'), { meta, seconds, units: 'metres (_m), centimetres (_cm), millimetres (_mm), pixels (_px); AUC/PCK/F unitless', table: rows, ...report, pck2d: p2 }, 1);
    writeFileAtomic(path.join(outDir, 'scores.md'), scoreMarkdown(report, rows, meta));
    writeFileAtomic(path.join(outDir, 'scores.txt'), report.scores_txt);
    writeJsonAtomic(path.join(outDir, 'pck_data.json'), report.pck_data);
    console.log(scoreTableText(rows, `${set.samples.length} samples, ${path.basename(predFile)} vs ${gtArg} (${set.split})`));
    console.log(`wrote ${outDir}/{scores.json,scores.md,scores.txt,pck_data.json}`);
  },
};
export default command;
