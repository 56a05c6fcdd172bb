"""numpy/scipy baseline for bench/eval.ts: the FreiHAND evaluation of eval.py (align_w_scale with
scipy's orthogonal_procrustes, EvalUtil measures, calculate_fscore with cKDTree nearest neighbours)
written with numpy vectorisation where the computation allows it. Prints one JSON line:
{"seconds": best wall time of the computation (not the JSON load), "cpu_seconds": its process CPU time, "values": {...}}.

usage: python3 bench/eval_baseline.py inputs.json [--repeats 3]
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.linalg import orthogonal_procrustes
from scipy.spatial import cKDTree


def align_w_scale(mtx1, mtx2):
    t1 = mtx1.mean(0)
    t2 = mtx2.mean(0)
    mtx1_t = mtx1 - t1
    mtx2_t = mtx2 - t2
    s1 = np.linalg.norm(mtx1_t) + 1e-8
    mtx1_t /= s1
    s2 = np.linalg.norm(mtx2_t) + 1e-8
    mtx2_t /= s2
    R, s = orthogonal_procrustes(mtx1_t, mtx2_t)
    mtx2_t = np.dot(mtx2_t, R.T) * s
    return mtx2_t * s1 + t1


def measures(dist, val_min=0.0, val_max=0.05, steps=100):
    """dist: samples x keypoints. EvalUtil.get_measures, vectorised over keypoints."""
    thresholds = np.linspace(val_min, val_max, steps)
    norm_factor = np.trapz(np.ones_like(thresholds), thresholds) if hasattr(np, 'trapz') else np.trapezoid(np.ones_like(thresholds), thresholds)
    trapz = np.trapz if hasattr(np, 'trapz') else np.trapezoid
    mean_k = dist.mean(0)
    median_k = np.median(dist, 0)
    pck = (dist[:, :, None] <= thresholds[None, None, :]).mean(0)  # keypoints x steps
    auc_k = np.array([trapz(p, thresholds) for p in pck]) / norm_factor
    return mean_k.mean(), np.median(dist, 0).mean(), auc_k.mean(), pck.mean(0)


def fscore(gt, pr, th, gt_tree, pr_tree):
    d1, _ = pr_tree.query(gt, k=1)  # each GT point to the prediction
    d2, _ = gt_tree.query(pr, k=1)  # each predicted point to the GT
    recall = float(np.sum(d2 < th)) / len(d2)
    precision = float(np.sum(d1 < th)) / len(d1)
    return 2 * recall * precision / (recall + precision) if recall + precision > 0 else 0.0


def evaluate(gt_xyz, pred_xyz, gt_verts, pred_verts):
    n = gt_xyz.shape[0]
    d_xyz = np.sqrt(np.sum(np.square(gt_xyz - pred_xyz), axis=2))
    d_verts = np.sqrt(np.sum(np.square(gt_verts - pred_verts), axis=2))
    xyz_al = np.empty_like(pred_xyz)
    verts_al = np.empty_like(pred_verts)
    f = np.zeros((n, 2))
    fa = np.zeros((n, 2))
    for i in range(n):
        xyz_al[i] = align_w_scale(gt_xyz[i], pred_xyz[i].copy())
        verts_al[i] = align_w_scale(gt_verts[i], pred_verts[i].copy())
        gt_tree, pr_tree, pa_tree = cKDTree(gt_verts[i]), cKDTree(pred_verts[i]), cKDTree(verts_al[i])
        for k, th in enumerate((0.005, 0.015)):
            f[i, k] = fscore(gt_verts[i], pred_verts[i], th, gt_tree, pr_tree)
            fa[i, k] = fscore(gt_verts[i], verts_al[i], th, gt_tree, pa_tree)
    d_xyz_al = np.sqrt(np.sum(np.square(gt_xyz - xyz_al), axis=2))
    d_verts_al = np.sqrt(np.sum(np.square(gt_verts - verts_al), axis=2))
    m = [measures(d) for d in (d_xyz, d_xyz_al, d_verts, d_verts_al)]
    return {
        'xyz_mean': m[0][0], 'xyz_al_mean': m[1][0], 'xyz_auc': m[0][2], 'xyz_al_auc': m[1][2],
        'mesh_mean': m[2][0], 'mesh_al_mean': m[3][0], 'mesh_auc': m[2][2], 'mesh_al_auc': m[3][2],
        'f5': f[:, 0].mean(), 'f15': f[:, 1].mean(), 'f5_al': fa[:, 0].mean(), 'f15_al': fa[:, 1].mean(),
    }


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[sys.argv.index('--repeats') + 1]) if '--repeats' in sys.argv else 3
    with open(path) as fi:
        d = json.load(fi)
    arrays = [np.array(d[k], dtype=np.float64) for k in ('gt_xyz', 'pred_xyz', 'gt_verts', 'pred_verts')]
    best = float('inf')
    best_cpu = float('inf')
    values = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        values = evaluate(*arrays)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    print(json.dumps({'seconds': best, 'cpu_seconds': best_cpu, 'numpy': np.__version__, 'scipy': scipy.__version__, 'values': {k: float(v) for k, v in values.items()}}))


if __name__ == '__main__':
    main()
