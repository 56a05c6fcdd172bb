// The SLURM array script run locally, as SLURM would run it: three array tasks (SLURM_ARRAY_TASK_ID
// 0..2 of 3) render their shards with real Blender (tiny images), the merge step joins them, and the
// merged set must equal a single-machine render of the same config byte for byte (labels, images,
// masks). Also: the Kubernetes manifests parse and shard the same way.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../lib/util/paths.ts';

const script = path.join(projectRoot, 'cluster', 'slurm-render.sh');
const CONFIG = { seed: 5, n: 5, image: { width: 48, height: 48 }, render: { samples: 2 } };

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

test('SLURM array script: 3 tasks + merge equal a single-machine render', { timeout: 900_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-slurm-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const config = path.join(tmp, 'render.json');
  fs.writeFileSync(config, JSON.stringify(CONFIG));
  const env = { ...process.env, HANDGAP_OUT: path.join(tmp, 'array'), HANDGAP_CONFIG: config, SLURM_ARRAY_TASK_COUNT: '3', SLURM_CPUS_PER_TASK: '1' };
  for (const id of [2, 0, 1]) {   // order does not matter
    const r = spawnSync('bash', [script, 'render'], { env: { ...env, SLURM_ARRAY_TASK_ID: String(id) }, encoding: 'utf8' });
    assert.equal(r.status, 0, `task ${id}: ${r.stderr.slice(-2000)}`);
  }
  assert.deepEqual(fs.readdirSync(path.join(tmp, 'array', 'shards')).sort(), ['0', '1', '2']);
  const m = spawnSync('bash', [script, 'merge'], { env, encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr.slice(-2000));

  const single = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'handgap.mjs'), 'render', '--config', config, '--out', path.join(tmp, 'single'), '--threads', '1'], { encoding: 'utf8' });
  assert.equal(single.status, 0, single.stderr.slice(-2000));

  const a = tree(path.join(tmp, 'array', 'set')), b = tree(path.join(tmp, 'single'));
  const images = Object.keys(b).filter((f) => /\.(jpg|png)$/.test(f));
  assert.ok(images.length >= 2 * CONFIG.n, `images and masks of ${CONFIG.n} samples (${images.length} files)`);
  for (const f of Object.keys(b).filter((f) => /^training_(K|xyz|scale|meta)\.json$|\.(jpg|png)$/.test(f))) {
    assert.equal(a[f], b[f], `${f} differs between the merged array run and the single-machine run`);
  }

  // a task id outside 0..count-1 (e.g. --array=1-3) is refused instead of silently leaving a shard out
  const bad = spawnSync('bash', [script, 'render'], { env: { ...env, SLURM_ARRAY_TASK_ID: '3' }, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /task id 3 >= task count 3/);
});

test('Kubernetes Indexed Job: shard count matches completions; image and merge paths agree', () => {
  const job = fs.readFileSync(path.join(projectRoot, 'cluster', 'k8s-render-job.yaml'), 'utf8');
  const merge = fs.readFileSync(path.join(projectRoot, 'cluster', 'k8s-merge-job.yaml'), 'utf8');
  const completions = Number(/completions: (\d+)/.exec(job)![1]);
  assert.equal(/"--shard", "\$\(JOB_COMPLETION_INDEX\)\/(\d+)"/.exec(job)![1], String(completions));
  assert.match(job, /completionMode: Indexed/);
  const image = /image: (\S+)/.exec(job)![1];
  assert.equal(/image: (\S+)/.exec(merge)![1], image);
  assert.equal(image, `handgap:${JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version}`, 'the image tag is the package version the Dockerfile comment builds');
  assert.match(merge, /render merge --n (\d+) --out \/data\/synth\/run1\/set \/data\/synth\/run1\/shards\/\*\//);
  assert.equal(/render merge --n (\d+)/.exec(merge)![1], /"--n", "(\d+)"/.exec(job)![1]);
  // both are valid YAML documents of kind Job (no cluster here to dry-run them against)
  const kinds = spawnSync('/usr/bin/python3', ['-c', 'import sys, yaml\nfor f in sys.argv[1:]:\n    d = yaml.safe_load(open(f)); print(d["apiVersion"], d["kind"], d["spec"]["template"]["spec"]["restartPolicy"])',
    path.join(projectRoot, 'cluster', 'k8s-render-job.yaml'), path.join(projectRoot, 'cluster', 'k8s-merge-job.yaml')], { encoding: 'utf8' });
  assert.equal(kinds.status, 0, kinds.stderr);
  assert.equal(kinds.stdout, 'batch/v1 Job Never\nbatch/v1 Job Never\n');
});
