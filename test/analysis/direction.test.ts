/**
 * One direction convention everywhere: reference (real) first, synthetic second, ratios synthetic ÷ real,
 * offsets (synthetic − real) ÷ real. A known pair — synthetic finger-tip bones 10% shorter than real —
 * must read "−10%, shorter in synthetic" in the gap JSON, the report text, the CLI line, the figure sidecar
 * and the walkthrough summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FreihandWriter } from '../../lib/data/freihand.ts';
import { writeImage } from '../../lib/image/io.ts';
import { gapReport, type GapResult } from '../../lib/analysis/gap-report.ts';
import { PARENTS21 } from '../../lib/hand/skeleton.ts';
import { Rng } from '../../lib/util/rng.ts';
import gapCommand from '../../lib/cli/commands/gap.ts';
import { runCommand } from '../helpers/cli.ts';
import { gapReportKind } from '../../lib/experiment/kinds/gap-report.ts';
import { comparisonTable } from '../../lib/walkthrough/summary.ts';
import type { WalkthroughResult } from '../../lib/walkthrough/walkthrough.ts';

const TIPS = [4, 8, 12, 16, 20];
const K: [[number, number, number], [number, number, number], [number, number, number]] = [[40, 0, 16], [0, 40, 16], [0, 0, 1]];

function randomPose(rng: Rng): number[][] {
  const p: number[][] = [[0, 0, 0.5]];
  for (let j = 1; j < 21; j++) {
    const par = p[PARENTS21[j]], len = PARENTS21[j] === 0 ? 0.08 : 0.03;
    const d = [rng.normal(), rng.normal(), rng.normal()], n = Math.hypot(d[0], d[1], d[2]);
    p.push([par[0] + (len * d[0]) / n, par[1] + (len * d[1]) / n, par[2] + (len * d[2]) / n]);
  }
  return p;
}

/** The same pose with every finger-tip bone 10% shorter (tip moved toward its parent). */
function shorterTips(p: number[][]): number[][] {
  return p.map((q, j) => (TIPS.includes(j) ? q.map((v, k) => p[PARENTS21[j]][k] + 0.9 * (v - p[PARENTS21[j]][k])) : q));
}

async function writeSet(dir: string, poses: number[][][], grey: number): Promise<void> {
  const w = new FreihandWriter(dir, { imageExt: '.png' });
  const rng = new Rng(grey);
  for (const xyz of poses) {
    const i = w.add({ xyz, K });
    const data = Uint8Array.from({ length: 32 * 32 * 3 }, () => grey + rng.int(0, 40));
    await writeImage(w.imagePath(i), { data, width: 32, height: 32, channels: 3 });
  }
  w.finish();
}

test('a known pair (synthetic tip bones 10% shorter) reads the same sign in JSON, text, CLI, figure and walkthrough', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-direction-'));
  try {
    const rng = new Rng(7);
    const realPoses = Array.from({ length: 6 }, () => randomPose(rng));
    const real = path.join(tmp, 'real'), syn = path.join(tmp, 'synthetic');
    await writeSet(real, realPoses, 60);
    await writeSet(syn, realPoses.map(shorterTips), 100);
    const samples = async (dir: string) => (await import('../../lib/data/freihand.ts')).readFreihand(dir).samples;

    // the library: reference (real) first
    const out = path.join(tmp, 'report');
    const r = await gapReport({ name: 'real', dir: real, samples: await samples(real) }, { name: 'synthetic', dir: syn, samples: await samples(syn) }, { out, png: false, size: 32 });
    const tipBones = r.skeleton!.reference.bones.filter((_, b) => TIPS.includes(b + 1));
    assert.equal(tipBones.length, 5);
    const checkJson = (g: GapResult) => {
      assert.deepEqual([g.direction.reference, g.direction.candidate, g.direction.ratios], ['real', 'synthetic', 'candidate ÷ reference']);
      g.skeleton!.offset.perBonePct.forEach((pct, b) => assert.ok(Math.abs(pct - (TIPS.includes(b + 1) ? -10 : 0)) < 1e-6, `bone ${b}: ${pct}`));
      for (const l of g.skeleton!.offset.largest) assert.ok(Math.abs(l.pct + 10) < 1e-6, `largest ${l.bone} ${l.pct}`);
    };
    checkJson(r);
    checkJson(JSON.parse(fs.readFileSync(path.join(out, 'gap.json'), 'utf8')));

    // report text
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    assert.match(md, /−10\.0% \(shorter in synthetic than in real\)/);
    assert.doesNotMatch(md, /\+10\.0%|longer in synthetic/);

    // figure sidecar: the offset trace is negative on the tip bones, the bars show synthetic < real there
    const fig = JSON.parse(fs.readFileSync(path.join(out, 'figures', 'skeleton-bones.json'), 'utf8'));
    const [refBars, candBars, offset] = fig.data as { name: string; x: string[]; y: number[] }[];
    assert.deepEqual([refBars.name, candBars.name], ['real', 'synthetic']);
    tipBones.forEach((bone) => {
      const i = offset.x.indexOf(bone);
      assert.ok(Math.abs(offset.y[i] + 10) < 1e-6 && candBars.y[i] < refBars.y[i], bone);
    });

    // the CLI: handgap gap <real> <synthetic>
    const cli = await runCommand(gapCommand, real, syn, '--out', path.join(tmp, 'cli'), '--no-png', '--size', '32');
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /−10\.0% \(shorter in synthetic than in real\)/);
    checkJson(JSON.parse(fs.readFileSync(path.join(tmp, 'cli', 'gap.json'), 'utf8')));

    // the walkthrough's gap step (the gap-report kind) and its summary table
    fs.mkdirSync(path.join(tmp, 'wt'));
    const result = await gapReportKind.run(
      gapReportKind.config.parse({ reference: real, referenceName: 'real', candidate: syn, candidateName: 'synthetic', seed: 0, maxImages: 6, maxPoses: 6, size: 32 }),
      { run: {} as never, scale: 'smoke', deps: {}, dir: path.join(tmp, 'wt'), log: () => {} });
    assert.match(String(result.skeletonSummary), /−10\.0% \(shorter in synthetic than in real\)/);
    const res: WalkthroughResult = { scale: 'smoke' as never, seed: 0, real, out: tmp, root: tmp, started: '', seconds: 0,
      stages: [{ id: 'gap', title: 'gap', status: 'done', seconds: 0, executed: 1, cached: 0, runs: { gap: { dir: path.join(tmp, 'wt'), result } } }] };
    const row = comparisonTable(res).rows.find((x) => String(x[0]).startsWith('skeleton definition'))!;
    assert.match(row.join(' | '), /−10\.0% \(shorter in synthetic than in real\)/);
    assert.doesNotMatch(row.join(' | '), /longer/);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
