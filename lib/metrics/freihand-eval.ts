/**
 * The whole FreiHAND evaluation (lmb-freiburg/freihand eval.py `main`) on in-memory arrays:
 * keypoint and mesh errors unaligned and Procrustes-aligned, PCK curves and AUC over 0–50 mm in
 * 100 steps, F-scores at 5 mm and 15 mm, plus handgap's extras (root-relative keypoint errors,
 * the proper-rotation alignment). Inputs in metres; the report carries metres and cm, labelled. Pure.
 */
import { KeypointErrors, type KeypointMeasures } from './keypoint-eval.ts';
import { alignWithScale, alignRoot, similarityTrafo, type ReflectionMode } from './procrustes.ts';
import { ProximityGrid, fFromPR } from './fscore.ts';
import { pointDistances, type Points } from './points.ts';
import { pairwiseSum } from './numeric.ts';
import { pyFixed } from './format.ts';

export interface EvalInput {
  gtXyz: Points[];
  predXyz: Points[];
  /** Optional meshes (MANO: 778 vertices); F-scores need both. */
  gtVerts?: Points[];
  predVerts?: Points[];
}

export interface EvalOptions {
  /** 'allow' = official (reflections allowed); 'proper' = det(R) = +1. */
  reflection?: ReflectionMode;
  /** F-score thresholds in metres (official: 0.005, 0.015). */
  fThresholdsM?: number[];
  /** PCK range in metres and step count (official: 0, 0.05, 100). */
  pck?: { minM: number; maxM: number; steps: number };
  /** Root joint for the root-relative variant (FreiHAND: 0 = wrist). */
  rootJoint?: number;
  /** Called every few hundred samples with the count done. */
  onProgress?: (done: number, total: number) => void;
}

export interface MeasureReport {
  mean_m: number; mean_cm: number; mean_mm: number;
  median_m: number; median_cm: number;
  auc: number;
  pck_curve: number[];
  per_keypoint_mean_m?: number[];
  per_keypoint_median_m?: number[];
  per_keypoint_mean_cm?: number[];
}

export interface FreihandEvalReport {
  n: number;
  alignment: { reflection: ReflectionMode };
  thresholds_m: number[];
  xyz: MeasureReport;
  xyz_aligned: MeasureReport;
  xyz_root_relative: MeasureReport;
  mesh?: MeasureReport;
  mesh_aligned?: MeasureReport;
  /** Mean over samples of the F-score per threshold; keys like "fscore_5mm", "fscore_aligned_5mm". */
  fscore_mean?: Record<string, number>;
  /** Whether predicted meshes had the GT vertex count (official: mesh errors and per-mesh alignment only then). */
  shape_is_mano?: boolean;
  /** Official stdout lines (without file paths). */
  printed: string[];
  /** Official scores.txt content. */
  scores_txt: string;
  /** Official pck_data.json content: thresholds in cm. */
  pck_data: Record<string, [number[], number[]]>;
}

function measureReport(m: KeypointMeasures, perKeypoint: boolean): MeasureReport {
  const r: MeasureReport = {
    mean_m: m.mean, mean_cm: m.mean * 100, mean_mm: m.mean * 1000,
    median_m: m.median, median_cm: m.median * 100,
    auc: m.auc,
    pck_curve: Array.from(m.pckCurve),
  };
  if (perKeypoint) {
    r.per_keypoint_mean_m = Array.from(m.perKeypointMean);
    r.per_keypoint_median_m = Array.from(m.perKeypointMedian);
    r.per_keypoint_mean_cm = Array.from(m.perKeypointMean, (v) => v * 100);
  }
  return r;
}

export function evaluateFreihand(input: EvalInput, opts: EvalOptions = {}): FreihandEvalReport {
  const reflection = opts.reflection ?? 'allow';
  const fTh = opts.fThresholdsM ?? [0.005, 0.015];
  const pck = opts.pck ?? { minM: 0, maxM: 0.05, steps: 100 };
  const root = opts.rootJoint ?? 0;
  const n = input.gtXyz.length;
  if (input.predXyz.length !== n) throw new Error(`evaluateFreihand: ${n} ground-truth samples but ${input.predXyz.length} predictions`);
  const numKp = n > 0 ? input.gtXyz[0].length / 3 : 21;
  const hasMesh = !!(input.gtVerts && input.predVerts && input.gtVerts.length === n && input.predVerts.length === n && n > 0 && input.predVerts[0].length > 0);
  const numV = hasMesh ? input.gtVerts![0].length / 3 : 0;
  const shapeIsMano = hasMesh ? input.predVerts![0].length === input.gtVerts![0].length : false;

  const exyz = new KeypointErrors(numKp, n), exyzAl = new KeypointErrors(numKp, n), exyzRoot = new KeypointErrors(numKp, n);
  const emesh = shapeIsMano ? new KeypointErrors(numV, n) : null;
  const emeshAl = shapeIsMano ? new KeypointErrors(numV, n) : null;
  const fs = fTh.map(() => new Float64Array(n)), fsAl = fTh.map(() => new Float64Array(n));
  const dKp = new Float64Array(numKp), dV = new Float64Array(numV);
  const gtGrid = new ProximityGrid(), predGrid = new ProximityGrid(), predAlGrid = new ProximityGrid();

  for (let i = 0; i < n; i++) {
    const gt = input.gtXyz[i], pred = input.predXyz[i];
    if (gt.length !== numKp * 3 || pred.length !== numKp * 3) throw new Error(`evaluateFreihand: sample ${i} has ${gt.length / 3} GT and ${pred.length / 3} predicted keypoints (expected ${numKp})`);
    exyz.feedDistances(pointDistances(gt, pred, dKp));
    const predAl = alignWithScale(gt, pred, reflection);
    exyzAl.feedDistances(pointDistances(gt, predAl, dKp));
    exyzRoot.feedDistances(pointDistances(gt, alignRoot(gt, pred, root), dKp));
    if (hasMesh) {
      const gv = input.gtVerts![i], pv = input.predVerts![i];
      let pvAl: Points;
      if (shapeIsMano) {
        if (gv.length !== numV * 3 || pv.length !== numV * 3) throw new Error(`evaluateFreihand: sample ${i} has ${gv.length / 3} GT and ${pv.length / 3} predicted vertices (expected ${numV})`);
        emesh!.feedDistances(pointDistances(gv, pv, dV));
        pvAl = alignWithScale(gv, pv, reflection);
        emeshAl!.feedDistances(pointDistances(gv, pvAl, dV));
      } else {
        pvAl = alignByTrafoOfficial(pv, gt, pred, reflection);
      }
      const nG = gv.length / 3, nP = pv.length / 3;
      for (let t = 0; t < fTh.length; t++) {
        gtGrid.build(gv, fTh[t]); predGrid.build(pv, fTh[t]); predAlGrid.build(pvAl, fTh[t]);
        // official naming: precision = GT points near the prediction, recall = predicted points near the GT
        fs[t][i] = nG && nP ? fFromPR(predGrid.countWithin(gv) / nG, gtGrid.countWithin(pv) / nP) : 0;
        fsAl[t][i] = nG && nP ? fFromPR(predAlGrid.countWithin(gv) / nG, gtGrid.countWithin(pvAl) / nP) : 0;
      }
    }
    if (opts.onProgress && ((i + 1) % 256 === 0 || i + 1 === n)) opts.onProgress(i + 1, n);
  }

  const mx = exyz.measures(pck.minM, pck.maxM, pck.steps);
  const mxa = exyzAl.measures(pck.minM, pck.maxM, pck.steps);
  const mxr = exyzRoot.measures(pck.minM, pck.maxM, pck.steps);
  const report: FreihandEvalReport = {
    n,
    alignment: { reflection },
    thresholds_m: Array.from(mx.thresholds),
    xyz: measureReport(mx, true),
    xyz_aligned: measureReport(mxa, true),
    xyz_root_relative: measureReport(mxr, true),
    printed: [], scores_txt: '', pck_data: {},
  };
  let mm: KeypointMeasures | null = null, mma: KeypointMeasures | null = null;
  if (emesh && emeshAl) {
    mm = emesh.measures(pck.minM, pck.maxM, pck.steps);
    mma = emeshAl.measures(pck.minM, pck.maxM, pck.steps);
    report.mesh = measureReport(mm, false);
    report.mesh_aligned = measureReport(mma, false);
  }
  if (hasMesh) {
    report.shape_is_mano = shapeIsMano;
    report.fscore_mean = {};
    fTh.forEach((th, t) => {
      const mmTag = `${Math.round(th * 1000)}mm`;
      report.fscore_mean![`fscore_${mmTag}`] = pairwiseSum(fs[t]) / n;
      report.fscore_mean![`fscore_aligned_${mmTag}`] = pairwiseSum(fsAl[t]) / n;
    });
  }
  officialOutputs(report, mx, mxa, mm, mma, fTh, fs, fsAl, hasMesh);
  return report;
}

/** eval.py align_by_trafo(verts_pred, align_w_scale(xyz, xyz_pred, return_trafo=True)), reproduced as written. */
function alignByTrafoOfficial(verts: Points, gtXyz: Points, predXyz: Points, reflection: ReflectionMode): Points {
  const t = similarityTrafo(gtXyz, predXyz, reflection);
  const nV = verts.length / 3;
  const c = [0, 0, 0];
  for (let i = 0; i < verts.length; i += 3) { c[0] += verts[i]; c[1] += verts[i + 1]; c[2] += verts[i + 2]; }
  c[0] /= nV; c[1] /= nV; c[2] /= nV;
  const out = new Float64Array(verts.length);
  for (let i = 0; i < verts.length; i += 3) {
    const x = verts[i] - c[0], y = verts[i + 1] - c[1], z = verts[i + 2] - c[2];
    for (let k = 0; k < 3; k++) out[i + k] = (x * t.R[3 * k] + y * t.R[3 * k + 1] + z * t.R[3 * k + 2]) * t.s * t.s1 + t.t1MinusT2[k] + c[k];
  }
  return out;
}

function officialOutputs(r: FreihandEvalReport, mx: KeypointMeasures, mxa: KeypointMeasures, mm: KeypointMeasures | null, mma: KeypointMeasures | null,
  fTh: number[], fs: Float64Array[], fsAl: Float64Array[], hasMesh: boolean): void {
  const line = (m: { auc: number; mean: number }) => `auc=${pyFixed(m.auc, 3)}, mean_kp3d_avg=${pyFixed(m.mean * 100.0, 2)} cm`;
  const p: string[] = ['Evaluation 3D KP results:', line(mx), 'Evaluation 3D KP ALIGNED results:', line(mxa)];
  const meshVals = mm && mma ? { mean: mm.mean, auc: mm.auc, alMean: mma.mean, alAuc: mma.auc } : { mean: -1.0, auc: -1.0, alMean: -1.0, alAuc: -1.0 };
  if (mm && mma) p.push('Evaluation 3D MESH results:', line(mm), 'Evaluation 3D MESH ALIGNED results:', line(mma));
  p.push('F-scores');
  const fOut: string[] = [];
  if (hasMesh) {
    fTh.forEach((th, t) => {
      const f = pairwiseSum(fs[t]) / fs[t].length, fa = pairwiseSum(fsAl[t]) / fsAl[t].length;
      p.push(`F@${pyFixed(th * 1000, 1)}mm = ${pyFixed(f, 3)} \tF_aligned@${pyFixed(th * 1000, 1)}mm = ${pyFixed(fa, 3)}`);
      fOut.push(`f_score_${Math.round(th * 1000)}: ${pyFixed(f, 6)}`, `f_al_score_${Math.round(th * 1000)}: ${pyFixed(fa, 6)}`);
    });
  }
  p.push('Evaluation complete.');
  r.printed = p;
  const lines = [
    `xyz_mean3d: ${pyFixed(mx.mean * 100, 6)}`, `xyz_auc3d: ${pyFixed(mx.auc, 6)}`,
    `xyz_al_mean3d: ${pyFixed(mxa.mean * 100, 6)}`, `xyz_al_auc3d: ${pyFixed(mxa.auc, 6)}`,
    `mesh_mean3d: ${pyFixed(meshVals.mean * 100, 6)}`, `mesh_auc3d: ${pyFixed(meshVals.auc, 6)}`,
    `mesh_al_mean3d: ${pyFixed(meshVals.alMean * 100, 6)}`, `mesh_al_auc3d: ${pyFixed(meshVals.alAuc, 6)}`,
    ...fOut,
  ];
  r.scores_txt = lines.join('\n') + '\n';
  const cm = (t: Float64Array) => Array.from(t, (v) => v * 100.0);
  r.pck_data = {
    xyz: [cm(mx.thresholds), Array.from(mx.pckCurve)],
    xyz_al: [cm(mxa.thresholds), Array.from(mxa.pckCurve)],
    mesh: mm ? [cm(mm.thresholds), Array.from(mm.pckCurve)] : [[0.0, 100.0], [-1.0, -1.0]],
    mesh_al: mma ? [cm(mma.thresholds), Array.from(mma.pckCurve)] : [[0.0, 100.0], [-1.0, -1.0]],
  };
}
