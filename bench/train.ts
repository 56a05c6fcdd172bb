/**
 * Training throughput of the pose estimator (lib/train/pose/model.ts; the CPU model by default, `--model
 * resnet|tiny` for the others) on each available tfjs backend and, in the same run, PyTorch on the CPU
 * training the same architecture and loss (bench/train_baseline.py; Debian python3-torch, installed by
 * scripts/bootstrap.sh when HANDGAP_APT_EXTRA names it; skipped with a message where torch is absent).
 * Baselines for the ratios: PyTorch CPU with its default thread count, and with the same thread count as each
 * row (target: wasm ≥ 0.5×). wasm runs with 1 thread and with every core (child processes: the XNNPACK pool size
 * is fixed when the backend starts). Random data: this measures the model step, not the input pipeline (which
 * runs ahead in worker threads).
 * Rows run in rounds (every row once per round; ratios within a round; medians over rounds), since a shared
 * machine's speed drifts by tens of percent within minutes.
 *   node --import tsx bench/train.ts [--model cpu] [--seconds 6] [--rounds 3] [--batch 32] [--cpu] [--python /usr/bin/python3]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../lib/train/backend.ts';
import { buildPoseNet, normaliseInput, poseLoss, heatmapSize, heatmapTargets, POSENET_PRESETS, JOINTS } from '../lib/train/pose/model.ts';
import { projectRoot } from '../lib/util/paths.ts';

const argv = process.argv.slice(2);
const opt = (k: string, d: string) => { const i = argv.indexOf(`--${k}`); return i >= 0 ? argv[i + 1] : d; };
const SECONDS = Number(opt('seconds', '6')), BATCH = Number(opt('batch', '32')), ROUNDS = Math.max(1, Number(opt('rounds', '3')));
const MODEL = opt('model', 'cpu');
if (!POSENET_PRESETS[MODEL]) { console.error(`bench/train: unknown --model ${MODEL} (${Object.keys(POSENET_PRESETS).join(', ')})`); process.exit(2); }
const cfg = POSENET_PRESETS[MODEL], N = cfg.inputSize, H = heatmapSize(cfg);

async function tfjsStepsPerSecond(backend: BackendName, seconds: number, minSteps: number): Promise<{ sps: number; steps: number; cpuPerStep: number }> {
  await initBackend({ force: backend });
  const model = buildPoseNet(cfg);
  const opt = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.randomUniform([BATCH, N, N, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y3 = tf.randomNormal([BATCH, 63], 0, 1, 'float32', 2) as tf.Tensor2D, y2 = tf.randomUniform([BATCH, 42], 0, 1, 'float32', 3) as tf.Tensor2D;
  // as in training, the heatmap targets are made on the CPU each step from the 2D labels
  const uv = y2.dataSync() as Float32Array;
  const step = () => {
    const l = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => poseLoss(model.apply(normaliseInput(x), { training: true }) as tf.Tensor4D, y3, y2, undefined, tf.tensor3d(heatmapTargets(uv, BATCH, H), [BATCH, H * H, JOINTS])).total, vars);
      opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
      return value;
    });
    l.dataSync(); l.dispose();
  };
  step();
  let steps = 0;
  const t0 = performance.now(), c0 = process.cpuUsage();
  while (steps < minSteps || performance.now() - t0 < seconds * 1000) { step(); steps++; }
  const sps = steps / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(c0), cpuPerStep = (cpu.user + cpu.system) / 1e6 / steps;
  model.dispose(); opt.dispose(); x.dispose(); y3.dispose(); y2.dispose();
  return { sps, steps, cpuPerStep };
}

/** cpuPerStep: the process' CPU seconds per step (user + system over all its threads). */
type Row = { name: string; threads: number | null; sps: number; note: string; cpuPerStep?: number };

/** PyTorch's steps/s with `threads` threads (0: torch's own default), or why it was skipped. */
function torchRow(threads: number): Row | string {
  const py = opt('python', '/usr/bin/python3');
  const r = spawnSync(py, [path.join(projectRoot, 'bench', 'train_baseline.py'), '--size', String(N), '--batch', String(BATCH), '--seconds', String(SECONDS),
    '--widths', cfg.widths.join(','), '--blocks', cfg.blocks.join(','), '--heatmap-stride', String(cfg.heatmapStride ?? 4), '--up-width', String(cfg.upWidth ?? cfg.widths[0] * 2),
    '--threads', String(threads)], { encoding: 'utf8' });
  let torch: { steps_per_s?: number; cpu_s_per_step?: number; threads?: number; torch?: string; skipped?: string } = {};
  try { torch = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}'); } catch { torch = { skipped: `baseline failed: ${r.stderr.slice(0, 300)}` }; }
  if (!torch.steps_per_s) return torch.skipped ?? r.error?.message ?? 'no output';
  return { name: `pytorch cpu${threads === 0 ? ' (default)' : ''}`, threads: torch.threads ?? null, sps: torch.steps_per_s, cpuPerStep: torch.cpu_s_per_step, note: `torch ${torch.torch}` };
}

/** tfjs wasm with a given XNNPACK thread count: a child process, since the pool size is fixed at initialisation. */
function wasmRow(threads: number): Row | string {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', 'wasm', '--model', MODEL, '--seconds', String(SECONDS), '--batch', String(BATCH)],
    { encoding: 'utf8', env: { ...process.env, HANDGAP_WASM_THREADS: String(threads) } });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const res = JSON.parse(line) as { sps: number; steps: number; threads: number; cpuPerStep: number };
    return { name: 'tfjs wasm', threads: res.threads, sps: res.sps, cpuPerStep: res.cpuPerStep, note: `${res.steps} steps` };
  } catch {
    return `wasm child failed: ${(r.stderr || line).split('\n').slice(-3).join(' ').slice(0, 200)}`;
  }
}

async function main(): Promise<void> {
  if (argv.includes('--child')) {
    const res = await tfjsStepsPerSecond('wasm', SECONDS, 5);
    const be = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
    console.log(JSON.stringify({ ...res, threads: be.wasm?.tfjs?.getThreadsCount?.() ?? 1 }));
    return;
  }
  const cores = os.availableParallelism();
  const threadCounts = cores > 1 ? [1, cores] : [1];
  console.log(`bench/train: ${cores} cores, load average ${os.loadavg()[0].toFixed(1)}; ${SECONDS} s per row, ${ROUNDS} round(s)`);
  // every round measures every row once, so a slow spell of a shared machine hits a round's baseline and its wasm
  // rows alike; the ratios are taken within each round, then the median over rounds is reported
  const measures: Array<{ what: string; run: () => Row | string }> = [
    { what: 'PyTorch baseline', run: () => torchRow(0) },
    ...threadCounts.map((t) => ({ what: `PyTorch ${t} threads`, run: () => torchRow(t) })),
    ...threadCounts.map((t) => ({ what: `tfjs wasm ${t} threads`, run: () => wasmRow(t) })),
  ];
  const rounds: Row[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const rows: Row[] = [];
    for (const m of measures) {
      const res = m.run();
      if (typeof res === 'string') { if (r === 0) console.log(`${m.what} skipped: ${res}`); } else rows.push(res);
    }
    rounds.push(rows);
    console.log(`round ${r + 1}/${ROUNDS}: ${rows.map((x) => `${x.name}${x.threads ? ` ×${x.threads}` : ''} ${x.sps.toFixed(2)}`).join(', ')} steps/s`);
  }
  // native backends are measured once, after the rounds, and compared with the last round's baselines
  const last = rounds[rounds.length - 1];
  for (const b of ['tensorflow-gpu', 'tensorflow', ...(argv.includes('--cpu') ? ['cpu'] : [])] as BackendName[]) {
    try {
      const res = await tfjsStepsPerSecond(b, b === 'cpu' ? 0 : SECONDS, b === 'cpu' ? 1 : 2);
      last.push({ name: `tfjs ${b}`, threads: null, sps: res.sps, note: `${res.steps} steps` });
    } catch (e) {
      console.log(`tfjs ${b}: unavailable (${(e as Error).message.split('\n')[0].slice(0, 160)})`);
    }
  }
  // the baseline for each row: PyTorch with the same number of threads (torch's default where the count is unknown)
  const torchWith = (rows: Row[], t: number | null) => rows.find((x) => x.name.startsWith('pytorch') && !x.name.includes('default') && x.threads === t) ?? rows.find((x) => x.name.includes('default'));
  const torchDefault = (rows: Row[]) => rows.find((x) => x.name.includes('default'));
  const same = (a: Row, b: Row) => a.name === b.name && a.threads === b.threads;
  /** a row's ratio to its baseline in every round that has both */
  const ratios = (x: Row, base: (rows: Row[], y: Row) => Row | undefined) => rounds.flatMap((rows) => {
    const y = rows.find((r) => same(r, x)), b = y && base(rows, y);
    return y && b ? [y.sps / b.sps] : [];
  });
  const fmt = (v: number[]) => (v.length ? `${median(v).toFixed(2)}${v.length > 1 ? ` (${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)})` : ''}` : '-');
  const distinct = rounds.flat().filter((x, i, all) => all.findIndex((y) => same(x, y)) === i);
  console.log(`\npose model "${MODEL}" (${model()}), input ${N}×${N}, batch ${BATCH}, tfjs ${tf.version.tfjs}; medians over rounds (range)`);
  console.log('backend                   threads    steps/s   images/s   ×pytorch same threads     ×pytorch default     note');
  for (const x of distinct) {
    const sps = median(rounds.flat().filter((y) => same(x, y)).map((y) => y.sps));
    const vsSame = ratios(x, (rows, y) => torchWith(rows, y.threads)), vsDefault = ratios(x, torchDefault);
    console.log(`${x.name.padEnd(24)} ${String(x.threads ?? '-').padStart(8)} ${sps.toFixed(3).padStart(10)} ${(sps * BATCH).toFixed(1).padStart(10)} ${fmt(vsSame).padStart(23)} ${fmt(vsDefault).padStart(20)}   ${x.note}`);
  }
  // thread for thread by CPU time: one thread each, CPU seconds per step (a loaded machine stretches wall time, much
  // less the CPU time a step needs)
  const oneThread = (name: string) => rounds.flatMap((rows) => rows.filter((x) => x.name === name && x.threads === 1 && x.cpuPerStep).map((x) => x.cpuPerStep!));
  const wasmCpu = oneThread('tfjs wasm'), torchCpu = oneThread('pytorch cpu');
  if (wasmCpu.length && torchCpu.length) {
    const byRound = rounds.flatMap((rows) => {
      const w = rows.find((x) => x.name === 'tfjs wasm' && x.threads === 1)?.cpuPerStep, t = rows.find((x) => x.name === 'pytorch cpu' && x.threads === 1)?.cpuPerStep;
      return w && t ? [t / w] : [];
    });
    console.log(`\nCPU time per step on one thread: tfjs wasm ${(1000 * median(wasmCpu)).toFixed(0)} ms, PyTorch ${(1000 * median(torchCpu)).toFixed(0)} ms: wasm runs at ${fmt(byRound)}× PyTorch's speed thread for thread (by CPU time; target ≥ 0.5)`);
  }
  const wasmAll = distinct.filter((x) => x.name === 'tfjs wasm').sort((a, b) => (b.threads ?? 0) - (a.threads ?? 0))[0];
  if (wasmAll) {
    console.log(`\ntarget wasm ≥ 0.5× PyTorch CPU (wasm on ${wasmAll.threads} thread(s), medians): ${fmt(ratios(wasmAll, torchDefault))}× against PyTorch as it runs by default here; ` +
      `${fmt(ratios(wasmAll, (rows, y) => torchWith(rows, y.threads)))}× against PyTorch on the same ${wasmAll.threads} thread(s)`);
  }
}
function median(v: number[]): number { const s = [...v].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }
function model(): string { return `widths ${cfg.widths.join('/')}, blocks ${cfg.blocks.join('/')}, heatmaps ${H}×${H}`; }

main().catch((e) => { console.error(e); process.exit(1); });
