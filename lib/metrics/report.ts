/**
 * Score tables from an evaluation report, in cm like the study's tables (every value labelled
 * with its unit). Pure: returns strings.
 */
import type { FreihandEvalReport, MeasureReport } from './freihand-eval.ts';
import type { Pck2dReport } from './pck2d.ts';
import { JOINTS21 } from '../hand/skeleton.ts';
import { pyFixed } from './format.ts';

export interface ScoreRow { metric: string; value: number; unit: string; digits: number }

export function scoreRows(r: FreihandEvalReport, pck2d?: Pck2dReport | null): ScoreRow[] {
  const rows: ScoreRow[] = [
    { metric: 'MPJPE', value: r.xyz.mean_cm, unit: 'cm', digits: 3 },
    { metric: 'PA-MPJPE', value: r.xyz_aligned.mean_cm, unit: 'cm', digits: 3 },
    { metric: 'RR-MPJPE (root-relative)', value: r.xyz_root_relative.mean_cm, unit: 'cm', digits: 3 },
    { metric: 'AUC 0-5 cm', value: r.xyz.auc, unit: '-', digits: 3 },
    { metric: 'PA AUC 0-5 cm', value: r.xyz_aligned.auc, unit: '-', digits: 3 },
    { metric: 'RR AUC 0-5 cm', value: r.xyz_root_relative.auc, unit: '-', digits: 3 },
    { metric: 'median joint error', value: r.xyz.median_cm, unit: 'cm', digits: 3 },
    { metric: 'PA median joint error', value: r.xyz_aligned.median_cm, unit: 'cm', digits: 3 },
  ];
  if (r.mesh && r.mesh_aligned) {
    rows.push({ metric: 'MPVPE', value: r.mesh.mean_cm, unit: 'cm', digits: 3 }, { metric: 'PA-MPVPE', value: r.mesh_aligned.mean_cm, unit: 'cm', digits: 3 },
      { metric: 'mesh AUC 0-5 cm', value: r.mesh.auc, unit: '-', digits: 3 }, { metric: 'PA mesh AUC 0-5 cm', value: r.mesh_aligned.auc, unit: '-', digits: 3 });
  }
  if (r.fscore_mean) {
    for (const [k, v] of Object.entries(r.fscore_mean)) {
      const m = /^fscore_(aligned_)?(\d+)mm$/.exec(k);
      rows.push({ metric: m ? `${m[1] ? 'PA ' : ''}F@${m[2]}mm` : k, value: v, unit: '-', digits: 3 });
    }
  }
  if (pck2d) {
    rows.push({ metric: '2D joint error', value: pck2d.mean_px, unit: 'px', digits: 2 },
      { metric: `2D PCK AUC 0-${pck2d.thresholds_px[pck2d.thresholds_px.length - 1]} px`, value: pck2d.auc, unit: '-', digits: 3 });
  }
  return rows;
}

export function scoreTableText(rows: ScoreRow[], title = ''): string {
  const w = Math.max(...rows.map((r) => r.metric.length));
  return [title, ...rows.map((r) => `  ${r.metric.padEnd(w)}  ${pyFixed(r.value, r.digits).padStart(8)} ${r.unit === '-' ? '' : r.unit}`)].filter((l) => l !== '').join('\n');
}

function perJointTable(m: MeasureReport, a: MeasureReport): string {
  if (!m.per_keypoint_mean_cm || !a.per_keypoint_mean_cm) return '';
  const lines = ['| joint | error (cm) | PA error (cm) |', '| --- | ---: | ---: |'];
  m.per_keypoint_mean_cm.forEach((v, j) => lines.push(`| ${j} ${JOINTS21[j] ?? ''} | ${pyFixed(v, 3)} | ${pyFixed(a.per_keypoint_mean_cm![j], 3)} |`));
  return lines.join('\n');
}

export function scoreMarkdown(r: FreihandEvalReport, rows: ScoreRow[], meta: Record<string, string | number>): string {
  const out = ['# Evaluation', '', ...Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`), `- samples: ${r.n}`,
    `- alignment: similarity Procrustes, reflections ${r.alignment.reflection === 'allow' ? 'allowed (official FreiHAND)' : 'forbidden (proper rotation)'}`, '',
    '| metric | value | unit |', '| --- | ---: | --- |', ...rows.map((x) => `| ${x.metric} | ${pyFixed(x.value, x.digits)} | ${x.unit} |`), '',
    '## Per-joint error', '', perJointTable(r.xyz, r.xyz_aligned), '', '## Official FreiHAND scores.txt', '', '```', r.scores_txt.trimEnd(), '```', ''];
  return out.join('\n');
}
