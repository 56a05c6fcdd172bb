/**
 * Training throughput of the standard pose model (lib/train/pose/model.ts STANDARD_POSENET, 128×128 input)
 * on each available tfjs backend and, in the same run, PyTorch on the CPU training the same architecture
 * (bench/train_baseline.py; Debian python3-torch; skipped with a message where torch is absent).
 * Baseline for the ratios: PyTorch CPU (target: wasm ≥ 0.5×). Random data: this measures the model step,
 * not the input pipeline (which runs ahead in worker threads).
 *   node --import tsx bench/train.ts [--seconds 10] [--batch 16] [--cpu] [--python /usr/bin/python3]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../lib/train/backend.ts';
import { buildPoseNet, normaliseInput, poseLoss, STANDARD_POSENET } from '../lib/train/pose/model.ts';
import { projectRoot } from '../lib/util/paths.ts';

const argv = process.argv.slice(2);
const opt = (k: string, d: string) => { const i = argv.indexOf(`--${k}`); return i >= 0 ? argv[i + 1] : d; };
const SECONDS = Number(opt('seconds', '10')), BATCH = Number(opt('batch', '16'));
const cfg = STANDARD_POSENET, N = cfg.inputSize;

async function tfjsStepsPerSecond(backend: BackendName, seconds: number, minSteps: number): Promise<{ sps: number; steps: number }> {
  await initBackend({ force: backend });
  const model = buildPoseNet(cfg);
  const opt = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.randomUniform([BATCH, N, N, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y3 = tf.randomNormal([BATCH, 63], 0, 1, 'float32', 2) as tf.Tensor2D, y2 = tf.randomUniform([BATCH, 42], 0, 1, 'float32', 3) as tf.Tensor2D;
  const step = () => {
    const l = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => poseLoss(model.apply(normaliseInput(x), { training: true }) as tf.Tensor2D, y3, y2).total, vars);
      opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
      return value;
    });
    l.dataSync(); l.dispose();
  };
  step();
  let steps = 0;
  const t0 = performance.now();
  while (steps < minSteps || performance.now() - t0 < seconds * 1000) { step(); steps++; }
  const sps = steps / ((performance.now() - t0) / 1000);
  model.dispose(); opt.dispose(); x.dispose(); y3.dispose(); y2.dispose();
  return { sps, steps };
}

async function main(): Promise<void> {
  const rows: Array<{ name: string; sps: number; note: string }> = [];
  const py = opt('python', '/usr/bin/python3');
  const r = spawnSync(py, [path.join(projectRoot, 'bench', 'train_baseline.py'), '--size', String(N), '--batch', String(BATCH), '--seconds', String(SECONDS),
    '--widths', cfg.widths.join(','), '--blocks', cfg.blocks.join(',')], { encoding: 'utf8' });
  let torch: { steps_per_s?: number; threads?: number; torch?: string; skipped?: string } = {};
  try { torch = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}'); } catch { torch = { skipped: `baseline failed: ${r.stderr.slice(0, 300)}` }; }
  if (torch.steps_per_s) rows.push({ name: 'pytorch cpu (baseline)', sps: torch.steps_per_s, note: `torch ${torch.torch}, ${torch.threads} threads` });
  else console.log(`PyTorch baseline skipped: ${torch.skipped ?? r.error?.message ?? 'no output'}`);

  for (const b of ['tensorflow-gpu', 'tensorflow', 'wasm', ...(argv.includes('--cpu') ? ['cpu'] : [])] as BackendName[]) {
    try {
      const res = await tfjsStepsPerSecond(b, b === 'cpu' ? 0 : SECONDS, b === 'cpu' ? 1 : 2);
      rows.push({ name: `tfjs ${b}`, sps: res.sps, note: `${res.steps} steps` });
    } catch (e) {
      console.log(`tfjs ${b}: unavailable (${(e as Error).message.split('\n')[0].slice(0, 160)})`);
    }
  }
  const base = rows.find((x) => x.name.startsWith('pytorch'));
  console.log(`\nstandard pose model (${model()}), input ${N}×${N}, batch ${BATCH}, tfjs ${tf.version.tfjs}`);
  console.log('backend                      steps/s   images/s   ×pytorch   note');
  for (const x of rows) console.log(`${x.name.padEnd(26)} ${x.sps.toFixed(3).padStart(9)} ${(x.sps * BATCH).toFixed(1).padStart(10)} ${base ? (x.sps / base.sps).toFixed(2).padStart(10) : '         -'}   ${x.note}`);
}
function model(): string { return `widths ${cfg.widths.join('/')}, blocks ${cfg.blocks.join('/')}`; }

main().catch((e) => { console.error(e); process.exit(1); });
