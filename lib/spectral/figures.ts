/**
 * Plain plotly figure objects for the spectral results (pure; export them with lib/plot/export.ts or show them
 * with lib/plot/display.ts). Radial frequency in cycles/pixel.
 */
import type { SpectralGapResult } from './gap.ts';

type Fig = { data: Record<string, unknown>[]; layout: Record<string, unknown>; config?: Record<string, unknown> };

const finite = (xs: number[], ys: number[]) => { const x: number[] = [], y: number[] = []; xs.forEach((v, i) => { if (i > 0 && Number.isFinite(ys[i])) { x.push(v); y.push(ys[i]); } }); return { x, y }; };

/** Variance ratio (synthetic ÷ real) per radial bin, before and after augmentation, with the ratio-1 line. DC omitted. */
export function varianceRatioFigure(g: SpectralGapResult, title = 'Amplitude variance ratio, synthetic ÷ real (luminance)'): Fig {
  const data: Record<string, unknown>[] = [];
  const fmt = (s: number, iv: [number, number] | null) => `${s.toFixed(3)}${iv ? ` [${iv[0].toFixed(3)}, ${iv[1].toFixed(3)}]` : ''}`;
  const b = finite(g.before.radialCenters, g.before.varianceRatio);
  data.push({ type: 'scatter', mode: 'lines', name: `synthetic: ${fmt(g.before.scalar, g.before.interval)}`, x: b.x, y: b.y, line: { color: '#d62728', width: 2 } });
  if (g.after) {
    const a = finite(g.after.radialCenters, g.after.varianceRatio);
    data.push({ type: 'scatter', mode: 'lines', name: `synthetic + ${g.after.augment.kind}: ${fmt(g.after.scalar, g.after.interval)}`, x: a.x, y: a.y, line: { color: '#2ca02c', width: 2 } });
  }
  const xmax = g.before.radialCenters[g.before.radialCenters.length - 1];
  data.push({ type: 'scatter', mode: 'lines', name: 'equal variance', x: [0, xmax], y: [1, 1], line: { color: '#444', dash: 'dot', width: 1 } });
  return {
    data,
    layout: {
      title: { text: title }, width: 640, height: 440, font: { family: 'Helvetica, Arial, sans-serif', size: 12 },
      xaxis: { title: { text: 'radial frequency (cycles/pixel)' }, range: [0, xmax] },
      yaxis: { title: { text: 'variance ratio (synthetic ÷ real)' }, type: 'log' },
      // legend below the axes: geometric mean over radial bins and 95% bootstrap interval per curve
      legend: { orientation: 'h', x: 0, y: -0.2, xanchor: 'left', yanchor: 'top' }, margin: { l: 70, r: 20, t: 50, b: 110 },
    },
    config: { displaylogo: false },
  };
}

/** Radial variance profiles (log scale) of the real, synthetic and augmented synthetic sets. */
export function varianceProfilesFigure(g: SpectralGapResult, title = 'Amplitude variance across images (luminance)'): Fig {
  const p = g.profiles, data: Record<string, unknown>[] = [];
  const add = (name: string, ys: number[] | null, color: string) => { if (!ys) return; const f = finite(p.frequency, ys); data.push({ type: 'scatter', mode: 'lines', name, x: f.x, y: f.y, line: { color, width: 2 } }); };
  add(`real (${g.real.images})`, p.real, '#1f77b4');
  add(`synthetic (${g.synthetic.images})`, p.synthetic, '#d62728');
  add(`synthetic + ${g.after?.augment.kind ?? ''}`, p.augmented, '#2ca02c');
  return {
    data,
    layout: {
      title: { text: title }, width: 640, height: 400, font: { family: 'Helvetica, Arial, sans-serif', size: 12 },
      xaxis: { title: { text: 'radial frequency (cycles/pixel)' } },
      yaxis: { title: { text: 'variance of |FFT| (0..255 pixels)²' }, type: 'log', exponentformat: 'power' },
      margin: { l: 70, r: 20, t: 50, b: 50 },
    },
    config: { displaylogo: false },
  };
}
