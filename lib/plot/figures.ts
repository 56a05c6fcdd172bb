/**
 * Figure builders (pure): plain data in, a plotly figure in the print style out. Each validates its
 * input (InputError naming the field and index) so a bad result file fails with a clear message.
 */
import { InputError } from '../util/errors.ts';
import { axis, categoryAxis, baseLayout, DISPLAY_CONFIG, FONT_SIZE, seriesColour, withAlpha, colourAt, type FigureSize, type PlotlyFigure } from './style.ts';

function checkSameLength(where: string, named: Record<string, ArrayLike<number> | undefined>): number {
  let n = -1;
  for (const [k, v] of Object.entries(named)) {
    if (v === undefined) continue;
    if (n < 0) n = v.length;
    else if (v.length !== n) throw new InputError(where, `${k} has ${v.length} values, expected ${n}`);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new InputError(where, `${k}[${i}] is ${v[i]} (expected a finite number)`);
  }
  if (n <= 0) throw new InputError(where, 'no data points');
  return n;
}
const arr = (v: ArrayLike<number>) => Array.from(v);

/** Log-axis ticks: powers of ten over two decades, 1-2-5 labels over one, else explicit round values. */
export function logTicks(...series: ArrayLike<number>[]): Record<string, unknown> {
  let lo = Infinity, hi = 0;
  for (const s of series) for (let i = 0; i < s.length; i++) if (s[i] > 0) { lo = Math.min(lo, s[i]); hi = Math.max(hi, s[i]); }
  if (!(hi > lo)) return {};
  if (hi / lo > 300) return { dtick: 1, exponentformat: 'power' };
  // one to two and a half decades: 1, 2, 5 × 10^k written out in full (plotly's 'D2' labels read "2, 10, 5, 2")
  if (hi / lo > 10) {
    const tickvals: number[] = [];
    // candidates a little beyond the data: the axis range is padded, ticks outside it are not drawn
    for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)); k++) for (const m of [1, 2, 5]) { const v = m * 10 ** k; if (v >= lo / 1.3 && v <= hi * 1.3) tickvals.push(Number(v.toPrecision(6))); }
    return { tickvals, ticktext: tickvals.map((t) => String(Number(t.toPrecision(3)))) };
  }
  // less than a decade: plotly's log ticks (1, 2, 5 per decade) may leave a single label. Values evenly spaced
  // on the log scale (1, 1.5, 2, 3, 4, 6, 8 × 10^k) when at least three fall in the data range, so the lower part
  // is labelled too; else (a narrow range) evenly stepped "nice" values (1, 2 or 5 × 10^k apart)
  const onLog: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) for (const m of [1, 1.5, 2, 3, 4, 6, 8]) { const v = Number((m * 10 ** k).toPrecision(6)); if (v >= lo && v <= hi) onLog.push(v); }
  const tickvals = onLog.length >= 3 ? onLog : niceTicks(lo, hi, 3);
  return { tickvals, ticktext: tickvals.map((t) => String(Number(t.toPrecision(3)))) };
}

/** Round values (steps of 1, 2 or 5 × 10^k) inside [lo, hi]: the coarsest step giving at least `min` of them. */
export function niceTicks(lo: number, hi: number, min: number): number[] {
  const mag = 10 ** Math.floor(Math.log10(hi - lo));
  const ticksFor = (step: number) => {
    const out: number[] = [];
    for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
    return out;
  };
  for (const st of [5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01].map((m) => m * mag)) {
    const t = ticksFor(st);
    if (t.length >= min) return t;
  }
  return ticksFor(0.01 * mag);
}
const fig = (data: Record<string, unknown>[], layout: Record<string, unknown>): PlotlyFigure => ({ data, layout, config: { ...DISPLAY_CONFIG } });

/** A shaded interval between lo and hi (two traces: invisible upper edge, filled lower edge). */
function band(x: number[], lo: number[], hi: number[], colour: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { type: 'scatter', mode: 'lines', x, y: hi, line: { width: 0, color: colour }, hoverinfo: 'skip', showlegend: false, legendgroup: name, ...extra },
    { type: 'scatter', mode: 'lines', x, y: lo, line: { width: 0, color: colour }, fill: 'tonexty', fillcolor: withAlpha(colour, 0.18), hoverinfo: 'skip', showlegend: false, legendgroup: name, ...extra },
  ];
}

/** Horizontal reference lines (e.g. a baseline's error) across the plot, labelled at the left end. */
export interface ReferenceLine { y: number; label: string; dash?: 'dot' | 'dash' | 'dashdot' }
function referenceLines(refs: ReferenceLine[] | undefined, where: string): { shapes: Record<string, unknown>[]; annotations: Record<string, unknown>[] } {
  const shapes: Record<string, unknown>[] = [], annotations: Record<string, unknown>[] = [];
  (refs ?? []).forEach((r, i) => {
    if (!Number.isFinite(r.y)) throw new InputError(`${where}[${i}] (${r.label})`, `y is ${r.y} (expected a finite number)`);
    shapes.push({ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: r.y, y1: r.y, line: { color: '#555', width: 1, dash: r.dash ?? 'dot' } });
    // labels alternate between the left and the right end, so two close lines keep readable labels
    annotations.push({ xref: 'paper', x: i % 2 ? 0.99 : 0.01, xanchor: i % 2 ? 'right' : 'left', y: r.y, yanchor: 'bottom', text: r.label, showarrow: false, font: { size: 10, color: '#333' } });
  });
  return { shapes, annotations };
}

/** A y range covering the traces' y (with their error bars) and extra values, padded by 6%. */
function yRangeWith(data: Record<string, unknown>[], extra: number[]): [number, number] {
  const ys: number[] = [...extra];
  for (const t of data) {
    const y = (t.y as number[] | undefined) ?? [], e = t.error_y as { array?: number[]; arrayminus?: number[] } | undefined;
    y.forEach((v, k) => { if (Number.isFinite(v)) ys.push(v + (e?.array?.[k] ?? 0), v - (e?.arrayminus?.[k] ?? e?.array?.[k] ?? 0)); });
  }
  const lo = Math.min(...ys), hi = Math.max(...ys), pad = 0.06 * (hi - lo || Math.abs(hi) || 1);
  return [lo - pad, hi + pad];
}

// ---------------------------------------------------------------------------------------------------
export interface SpectrumSeries {
  name: string; domain?: 'synthetic' | 'real' | string; mean: ArrayLike<number>; variance: ArrayLike<number>;
  /** per-frequency interval of the variance (e.g. bootstrap over images), drawn as a band */
  varianceLo?: ArrayLike<number>; varianceHi?: ArrayLike<number>;
  /** per-frequency 95% interval of this series' variance ÷ the real one's (bootstrap over the images of both sets), the ratio panel's band */
  ratioLo?: ArrayLike<number>; ratioHi?: ArrayLike<number>;
}
/**
 * Amplitude mean and variance versus radial frequency, synthetic vs real (the study's Fig. 2b),
 * two panels with log-scaled y. frequency in cycles/pixel (0..0.5√2). With `ratioPanel`, a third
 * panel shows each other series' variance ÷ the real one's per frequency (synthetic ÷ real; 1 = no
 * gap), with its band: the series' own ratio interval (ratioLo/Hi, bootstrap over images) where given,
 * else, where both have variance intervals, the ratio of the interval ends (conservative).
 */
export function amplitudeSpectrumFigure(d: { frequency: ArrayLike<number>; series: SpectrumSeries[]; title?: string; amplitudeUnit?: string; ratioPanel?: boolean }): PlotlyFigure {
  if (!d.series.length) throw new InputError('amplitudeSpectrum.series', 'no series');
  const x = arr(d.frequency);
  const unit = d.amplitudeUnit ?? 'a.u.';
  const data: Record<string, unknown>[] = [];
  d.series.forEach((s, i) => {
    checkSameLength(`amplitudeSpectrum.series[${i}] (${s.name})`, { frequency: d.frequency, mean: s.mean, variance: s.variance, varianceLo: s.varianceLo, varianceHi: s.varianceHi, ratioLo: s.ratioLo, ratioHi: s.ratioHi });
    const colour = seriesColour(s.name, i, s.domain);
    data.push({ type: 'scatter', mode: 'lines', name: s.name, x, y: arr(s.mean), line: { color: colour, width: 1.8 }, legendgroup: s.name, xaxis: 'x', yaxis: 'y' });
    if (s.varianceLo && s.varianceHi) data.push(...band(x, arr(s.varianceLo), arr(s.varianceHi), colour, s.name, { xaxis: 'x2', yaxis: 'y2' }));
    data.push({ type: 'scatter', mode: 'lines', name: s.name, x, y: arr(s.variance), line: { color: colour, width: 1.8, dash: 'solid' }, legendgroup: s.name, showlegend: false, xaxis: 'x2', yaxis: 'y2' });
  });
  const three = d.ratioPanel === true;
  const layout: Record<string, unknown> = {
    ...baseLayout({ title: d.title, size: three ? 'double' : 'wide', legend: three ? 'below' : 'inside' }),
    xaxis: axis('radial frequency', 'cycles/pixel', { domain: three ? [0, 0.27] : [0, 0.44] }),
    yaxis: axis('mean amplitude', unit, { type: 'log', ...logTicks(...d.series.map((s) => s.mean)) }),
    xaxis2: axis('radial frequency', 'cycles/pixel', { domain: three ? [0.365, 0.635] : [0.56, 1], anchor: 'y2' }),
    yaxis2: axis('amplitude variance', `${unit}²`, { type: 'log', anchor: 'x2', ...logTicks(...d.series.map((s) => s.variance)) }),
  };
  if (three) {
    const ref = d.series.findIndex((s) => (s.domain ?? s.name).toLowerCase().startsWith('real'));
    if (ref < 0) throw new InputError('amplitudeSpectrum.series', 'the ratio panel needs a real series (the reference)');
    const r = d.series[ref];
    const ratios: number[][] = [];
    d.series.forEach((s, i) => {
      if (i === ref) return;
      const colour = seriesColour(s.name, i, s.domain);
      const y = arr(s.variance).map((v, k) => v / r.variance[k]);
      ratios.push(y);
      if (s.ratioLo && s.ratioHi) {
        ratios.push(arr(s.ratioLo), arr(s.ratioHi));
        data.push(...band(x, arr(s.ratioLo), arr(s.ratioHi), colour, s.name, { xaxis: 'x3', yaxis: 'y3' }));
      } else if (s.varianceLo && s.varianceHi && r.varianceLo && r.varianceHi) {
        data.push(...band(x, arr(s.varianceLo).map((v, k) => v / r.varianceHi![k]), arr(s.varianceHi).map((v, k) => v / r.varianceLo![k]), colour, s.name, { xaxis: 'x3', yaxis: 'y3' }));
      }
      data.push({ type: 'scatter', mode: 'lines', name: s.name, x, y, line: { color: colour, width: 1.8 }, legendgroup: s.name, showlegend: false, xaxis: 'x3', yaxis: 'y3' });
    });
    layout.xaxis3 = axis('radial frequency', 'cycles/pixel', { domain: [0.73, 1], anchor: 'y3' });
    layout.yaxis3 = axis('variance ratio, synthetic ÷ real', '×', { type: 'log', anchor: 'x3', ...logTicks(...ratios, [1]) });
    layout.shapes = [{ type: 'line', xref: 'x3', yref: 'y3', x0: x[0], x1: x[x.length - 1], y0: 1, y1: 1, line: { color: '#555', width: 1, dash: 'dot' } }];
  }
  return fig(data, layout);
}

// ---------------------------------------------------------------------------------------------------
export interface SaturationSeries {
  name: string;
  x: ArrayLike<number>; y: ArrayLike<number>;
  yLo?: ArrayLike<number>; yHi?: ArrayLike<number>;      // per-point interval (e.g. over seeds)
  fit?: { x: ArrayLike<number>; y: ArrayLike<number>; lo?: ArrayLike<number>; hi?: ArrayLike<number>; label?: string };
}
/**
 * Saturation curves: a metric versus the amount of something (fraction of poses, number of HDRIs),
 * measured points with intervals, a fitted curve with its band, and optional reference lines
 * (e.g. the real-data model's error).
 */
export function saturationFigure(d: {
  series: SaturationSeries[]; xLabel: string; xUnit: string; yLabel: string; yUnit: string;
  xLog?: boolean; references?: ReferenceLine[]; title?: string; size?: FigureSize; legend?: 'inside' | 'below';
}): PlotlyFigure {
  if (!d.series.length) throw new InputError('saturation.series', 'no series');
  const data: Record<string, unknown>[] = [];
  d.series.forEach((s, i) => {
    const where = `saturation.series[${i}] (${s.name})`;
    checkSameLength(where, { x: s.x, y: s.y, yLo: s.yLo, yHi: s.yHi });
    const colour = seriesColour(s.name, i);
    if (s.fit) {
      checkSameLength(`${where}.fit`, { x: s.fit.x, y: s.fit.y, lo: s.fit.lo, hi: s.fit.hi });
      if (s.fit.lo && s.fit.hi) data.push(...band(arr(s.fit.x), arr(s.fit.lo), arr(s.fit.hi), colour, s.name));
      data.push({ type: 'scatter', mode: 'lines', name: s.fit.label ? `${s.name}: ${s.fit.label}` : `${s.name} (fit)`, x: arr(s.fit.x), y: arr(s.fit.y), line: { color: colour, width: 1.6, dash: 'dash' }, legendgroup: s.name });
    }
    const errorY = s.yLo && s.yHi ? { type: 'data', symmetric: false, array: arr(s.yHi).map((h, k) => h - s.y[k]), arrayminus: arr(s.y).map((v, k) => v - s.yLo![k]), color: colour, thickness: 1, width: 3 } : undefined;
    data.push({ type: 'scatter', mode: 'markers', name: s.name, x: arr(s.x), y: arr(s.y), marker: { color: colour, size: 7, symbol: ['circle', 'square', 'diamond', 'triangle-up'][i % 4], line: { color: '#000', width: 0.5 } }, error_y: errorY, legendgroup: s.name });
  });
  const { shapes, annotations } = referenceLines(d.references, 'saturation.references');
  return fig(data, {
    ...baseLayout({ title: d.title, size: d.size, legend: d.legend }),
    xaxis: axis(d.xLabel, d.xUnit, d.xLog ? { type: 'log' } : {}),
    // reference lines stay inside the range (plotly's autorange can leave a line on the plot's edge)
    yaxis: axis(d.yLabel, d.yUnit, d.references?.length ? { range: yRangeWith(data, d.references.map((r) => r.y)) } : {}),
    shapes, annotations,
  });
}

// ---------------------------------------------------------------------------------------------------
/** Ablation bars: one group per configuration row, one bar per test set; values printed on bars. */
export function ablationBarsFigure(d: {
  rows: { label: string; values: ArrayLike<number> }[]; groups: string[]; metric: string; unit: string;
  highlight?: string; title?: string; decimals?: number; size?: FigureSize;
  /** what the rows are (default "configuration") */
  rowsLabel?: string;
  /** per row, per group: 95% interval of the value (e.g. over seeds), drawn as error bars */
  intervals?: ({ lo: number; hi: number } | null)[][];
  /** the study's reported values per row and group (null where it has none), drawn as hatched bars beside ours */
  reference?: { label: string; values: (number | null)[][] };
  /** per row, the baselines on the same test set (e.g. constant pose, best-match oracle of that row's training poses), drawn as a tick across the row; needs one group */
  baselines?: { label: string; values: (number | null)[] }[];
  /** per group, its colour (e.g. the domain colour of the data a group's model was trained on); default the palette in order */
  groupColours?: string[];
}): PlotlyFigure {
  if (!d.rows.length) throw new InputError('ablation.rows', 'no rows');
  d.rows.forEach((r, i) => { if (r.values.length !== d.groups.length) throw new InputError(`ablation.rows[${i}] (${r.label})`, `has ${r.values.length} values for ${d.groups.length} groups`); checkSameLength(`ablation.rows[${i}] (${r.label})`, { values: r.values }); });
  const labels = d.rows.map((r) => (r.label === d.highlight ? `<b>${r.label}</b>` : r.label));
  const dec = d.decimals ?? 2;
  if (d.intervals && d.intervals.length !== d.rows.length) throw new InputError('ablation.intervals', `has ${d.intervals.length} rows, expected ${d.rows.length}`);
  if (d.reference && d.reference.values.length !== d.rows.length) throw new InputError('ablation.reference.values', `has ${d.reference.values.length} rows, expected ${d.rows.length}`);
  const data: Record<string, unknown>[] = [];
  if (d.groupColours && d.groupColours.length !== d.groups.length) throw new InputError('ablation.groupColours', `has ${d.groupColours.length} colours for ${d.groups.length} groups`);
  const colourOf = (gi: number) => d.groupColours?.[gi] ?? colourAt(gi);
  d.groups.forEach((g, gi) => {
    const iv = d.intervals?.map((row) => row[gi] ?? null);
    data.push({
      type: 'bar', name: d.reference ? `${g} (ours)` : g, x: labels, y: d.rows.map((r) => r.values[gi]),
      marker: { color: colourOf(gi), line: { color: '#000', width: 0.6 } },
      // with error bars the value goes inside the bar at its base, clear of the whiskers and the baseline marks near the top
      text: d.rows.map((r) => r.values[gi].toFixed(dec)), textposition: iv ? 'inside' : 'outside', insidetextanchor: iv ? 'start' : 'end', cliponaxis: false, textfont: { size: 9, ...(iv ? { color: '#fff' } : {}) },
      ...(iv ? { error_y: { type: 'data', symmetric: false, array: iv.map((v, k) => (v ? v.hi - d.rows[k].values[gi] : 0)), arrayminus: iv.map((v, k) => (v ? d.rows[k].values[gi] - v.lo : 0)), color: '#000', thickness: 1, width: 3 } } : {}),
    });
    if (d.reference) {
      const ref = d.reference.values.map((row) => row[gi] ?? null);
      data.push({ type: 'bar', name: `${g} (${d.reference.label})`, x: labels, y: ref, marker: { color: withAlpha(colourOf(gi), 0.35), pattern: { shape: '/', fgcolor: colourOf(gi), size: 5 }, line: { color: '#000', width: 0.6 } },
        text: ref.map((v) => (v === null ? '' : v.toFixed(dec))), textposition: 'outside', cliponaxis: false, textfont: { size: 9 } });
    }
  });
  if (d.baselines?.length && d.groups.length !== 1) throw new InputError('ablation.baselines', `need exactly one group (have ${d.groups.length})`);
  (d.baselines ?? []).forEach((b, bi) => {
    if (b.values.length !== d.rows.length) throw new InputError(`ablation.baselines[${bi}] (${b.label})`, `has ${b.values.length} values, expected ${d.rows.length}`);
    data.push({ type: 'scatter', mode: 'markers', name: b.label, x: labels, y: b.values, cliponaxis: false,
      marker: { symbol: 'line-ew-open', size: 46, color: ['#000', '#777', '#333'][bi % 3], line: { width: 2, color: ['#000', '#777', '#333'][bi % 3] } } });
  });
  const max = Math.max(...d.rows.flatMap((r) => arr(r.values)), ...(d.intervals ?? []).flatMap((row) => row.map((v) => v?.hi ?? 0)), ...(d.reference?.values ?? []).flatMap((row) => row.map((v) => v ?? 0)), ...(d.baselines ?? []).flatMap((b) => b.values.map((v) => v ?? 0)));
  return fig(data, {
    ...baseLayout({ title: d.title, size: d.size ?? 'wide' }),
    barmode: 'group', bargap: 0.25, bargroupgap: 0.05,
    // a row label broken over lines (<br>) pushes the axis title down: one more line of margin for each
    margin: { l: 58, r: 12, t: d.title ? 56 : 30, b: 46 + 16 * (Math.max(...labels.map((l) => l.split('<br>').length)) - 1) },
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.01, yanchor: 'bottom', font: { size: 10 } },
    xaxis: categoryAxis(d.rowsLabel ?? 'configuration', { showgrid: false, tickangle: 0 }),
    yaxis: axis(d.metric, d.unit, { range: [0, max * 1.15], rangemode: 'tozero' }),
  });
}

// ---------------------------------------------------------------------------------------------------
/**
 * Synthetic→real ratio: per method, the error when trained on real and on synthetic data (grouped
 * bars) with the ratio real/synthetic (in %, as the study reports it) above each group.
 */
export function ratioBarsFigure(d: { methods: { name: string; real: number; synthetic: number }[]; metric: string; unit: string; title?: string; size?: FigureSize; references?: ReferenceLine[] }): PlotlyFigure {
  if (!d.methods.length) throw new InputError('ratio.methods', 'no methods');
  d.methods.forEach((m, i) => { if (!(m.real > 0 && m.synthetic > 0)) throw new InputError(`ratio.methods[${i}] (${m.name})`, 'real and synthetic errors must be positive numbers'); });
  const names = d.methods.map((m) => m.name);
  const data = (['real', 'synthetic'] as const).map((k) => ({
    type: 'bar', name: `trained on ${k}`, x: names, y: d.methods.map((m) => m[k]),
    marker: { color: seriesColour(k, 0), line: { color: '#000', width: 0.6 } },
  }));
  const max = Math.max(...d.methods.flatMap((m) => [m.real, m.synthetic]));
  const refs = referenceLines(d.references, 'ratio.references');
  const annotations = [...d.methods.map((m) => ({ x: m.name, y: Math.max(m.real, m.synthetic), yanchor: 'bottom', yshift: 3, text: `${Math.round((100 * m.real) / m.synthetic)}%`, showarrow: false, font: { size: 10 } })), ...refs.annotations];
  return fig(data, {
    ...baseLayout({ title: d.title, size: d.size ?? 'wide' }),
    barmode: 'group', bargap: 0.3,
    xaxis: categoryAxis('method', { showgrid: false, tickangle: 0 }),
    yaxis: axis(d.metric, d.unit, { range: [0, Math.max(max, ...(d.references ?? []).map((r) => r.y)) * 1.15] }),
    margin: { l: 58, r: 12, t: d.title ? 56 : 30, b: 46 },
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.01, yanchor: 'bottom', font: { size: 10 } },
    annotations, shapes: refs.shapes,
  });
}

// ---------------------------------------------------------------------------------------------------
/** Area under a PCK curve, normalised by the threshold range (trapezoids), in 0..1. */
export function pckAuc(thresholds: ArrayLike<number>, pck: ArrayLike<number>): number {
  checkSameLength('pckAuc', { thresholds, pck });
  let a = 0;
  for (let i = 1; i < thresholds.length; i++) a += ((pck[i] + pck[i - 1]) / 2) * (thresholds[i] - thresholds[i - 1]);
  const span = thresholds[thresholds.length - 1] - thresholds[0];
  return span > 0 ? a / span : 0;
}

/** A legend right of the plot, outside the data: for figures whose curves or bars fill the plot. */
const LEGEND_BESIDE = { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top', bgcolor: 'rgba(255,255,255,0)', borderwidth: 0, font: { size: FONT_SIZE - 1 } };

/** PCK curves: fraction of joints within a 3D distance threshold, AUC in the legend. pck in 0..1. */
export function pckFigure(d: { series: { name: string; thresholdsMm: ArrayLike<number>; pck: ArrayLike<number>; colour?: string; dash?: 'solid' | 'dot' | 'dash' | 'dashdot' }[]; title?: string; size?: FigureSize }): PlotlyFigure {
  if (!d.series.length) throw new InputError('pck.series', 'no series');
  const data = d.series.map((s, i) => {
    checkSameLength(`pck.series[${i}] (${s.name})`, { thresholdsMm: s.thresholdsMm, pck: s.pck });
    for (let k = 0; k < s.pck.length; k++) if (s.pck[k] < 0 || s.pck[k] > 1) throw new InputError(`pck.series[${i}].pck[${k}]`, `is ${s.pck[k]}, expected a fraction in 0..1`);
    return { type: 'scatter', mode: 'lines', name: `${s.name} (AUC ${pckAuc(s.thresholdsMm, s.pck).toFixed(3)})`, x: arr(s.thresholdsMm), y: arr(s.pck).map((v) => 100 * v), line: { color: s.colour ?? seriesColour(s.name, i), width: 1.8, dash: s.dash ?? ['solid', 'dash', 'dot', 'dashdot'][Math.floor(i / 8) % 4] } };
  });
  // the legend sits right of the plot: inside, the curves of five or more series pass under it wherever it goes
  const base = baseLayout({ title: d.title, size: d.size });
  return fig(data, {
    ...base,
    margin: { ...(base.margin as Record<string, number>), r: 12 },
    xaxis: axis('error threshold', 'mm'),
    yaxis: axis('3D PCK', '%', { range: [0, 100] }),
    legend: LEGEND_BESIDE,
  });
}

// ---------------------------------------------------------------------------------------------------
/**
 * Error by occlusion level: per level (a category, e.g. "3–5 joints") and series the mean with its 95%
 * interval (error bar); the series of a level sit side by side. A level with too few frames for an
 * interval shows open markers without error bars and says so under its label. Binning and intervals are
 * the caller's (lib/analysis/occlusion.ts errorByOcclusionLevel).
 */
export function errorVsOcclusionFigure(d: {
  levels: { label: string; n: number; tooFew?: boolean }[];
  series: { name: string; mean: (number | null)[]; low?: (number | null)[]; high?: (number | null)[]; colour?: string; dash?: 'solid' | 'dot' | 'dash' | 'dashdot'; symbol?: string }[];
  metric: string; unit: string; levelLabel: string; levelUnit: string; title?: string; size?: FigureSize; legend?: 'inside' | 'right';
}): PlotlyFigure {
  if (!d.levels.length) throw new InputError('errorVsOcclusion.levels', 'no occlusion levels');
  if (!d.series.length) throw new InputError('errorVsOcclusion.series', 'no series');
  const L = d.levels.length, S = d.series.length, step = Math.min(0.14, 0.6 / S);
  const data = d.series.map((s, i) => {
    for (const [k, v] of Object.entries({ mean: s.mean, low: s.low, high: s.high })) if (v && v.length !== L) throw new InputError(`errorVsOcclusion.series[${i}] (${s.name}).${k}`, `${v.length} values, expected one per level (${L})`);
    const colour = s.colour ?? seriesColour(s.name, i);
    const keep = d.levels.map((_, k) => k).filter((k) => s.mean[k] !== null && Number.isFinite(s.mean[k]));
    const x = keep.map((k) => k + (i - (S - 1) / 2) * step), y = keep.map((k) => s.mean[k] as number);
    const withIv = (k: number) => !d.levels[k].tooFew && s.low?.[k] != null && s.high?.[k] != null;
    return {
      type: 'scatter', mode: 'lines+markers', name: s.name, x, y,
      error_y: { type: 'data', symmetric: false, array: keep.map((k) => (withIv(k) ? (s.high![k] as number) - (s.mean[k] as number) : 0)), arrayminus: keep.map((k) => (withIv(k) ? (s.mean[k] as number) - (s.low![k] as number) : 0)), color: colour, thickness: 1.2, width: 3 },
      customdata: keep.map((k) => d.levels[k].n), hovertemplate: `${s.name}: %{y:.2f} ${d.unit} (n=%{customdata})<extra></extra>`,
      line: { color: colour, width: 1.4, dash: s.dash ?? 'solid' },
      marker: { color: colour, size: 7, symbol: keep.map((k) => (d.levels[k].tooFew ? `${s.symbol ?? 'circle'}-open` : s.symbol ?? 'circle')), line: { color: colour, width: 1.2 } },
    };
  });
  const ticktext = d.levels.map((l) => `${l.label}<br>n=${l.n}${l.tooFew ? '<span style="color:#B00020">: too few</span>' : ''}`);
  const base = baseLayout({ title: d.title, size: d.size });
  return fig(data, {
    ...base,
    margin: { ...(base.margin as Record<string, number>), b: 66 },
    ...(d.legend === 'right' ? { legend: LEGEND_BESIDE } : {}),
    // numeric positions (the series of a level are offset side by side), labelled by level
    xaxis: axis(d.levelLabel, d.levelUnit, { tickmode: 'array', tickvals: d.levels.map((_, k) => k), ticktext, range: [-0.5, L - 0.5], showgrid: false, zeroline: false }),
    yaxis: axis(d.metric, d.unit, { rangemode: 'tozero' }),
  });
}

// ---------------------------------------------------------------------------------------------------
/** Pose sets in a 2D projection (e.g. the first two principal components), one colour per set. */
export function poseProjectionFigure(d: { sets: { name: string; points: ArrayLike<number>[] }[]; axisLabels?: [string, string]; unit?: string; title?: string; size?: FigureSize; markerSize?: number }): PlotlyFigure {
  if (!d.sets.length) throw new InputError('poseProjection.sets', 'no sets');
  const [lx, ly] = d.axisLabels ?? ['PC 1', 'PC 2'];
  const data = d.sets.map((s, i) => {
    s.points.forEach((p, k) => { if (p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) throw new InputError(`poseProjection.sets[${i}].points[${k}]`, 'expected two finite numbers'); });
    const colour = seriesColour(s.name, i);
    return { type: 'scattergl', mode: 'markers', name: `${s.name} (n=${s.points.length})`, x: s.points.map((p) => p[0]), y: s.points.map((p) => p[1]), marker: { color: withAlpha(colour, 0.55), size: d.markerSize ?? 4, line: { width: 0 } } };
  });
  return fig(data, {
    ...baseLayout({ title: d.title, size: d.size }),
    xaxis: axis(lx, d.unit ?? 'cm'), yaxis: axis(ly, d.unit ?? 'cm', { scaleanchor: 'x', scaleratio: 1 }),
  });
}

// ---------------------------------------------------------------------------------------------------
/** Training curves: loss (or a metric) per step for several runs; train solid, validation dashed. */
export function trainingCurvesFigure(d: {
  /** `colourOf`: draw in that series' colour (e.g. another seed of the same arm); `faint`: a thin, pale line kept out of the legend */
  series: { name: string; step: ArrayLike<number>; value: ArrayLike<number>; split?: 'train' | 'val'; dash?: 'solid' | 'dot' | 'dash' | 'dashdot'; colourOf?: string; faint?: boolean }[];
  yLabel: string; yUnit: string; xLabel?: string; xUnit?: string; yLog?: boolean; title?: string; size?: FigureSize;
  /** where the legend goes: inside the top-right corner (default) or to the right of the plot, outside the data (many series) */
  legend?: 'inside' | 'right' }): PlotlyFigure {
  if (!d.series.length) throw new InputError('trainingCurves.series', 'no series');
  const runs = [...new Set(d.series.filter((s) => !s.colourOf).map((s) => s.name))];
  const data = d.series.map((s, i) => {
    checkSameLength(`trainingCurves.series[${i}] (${s.name})`, { step: s.step, value: s.value });
    const key = s.colourOf ?? s.name;
    if (!runs.includes(key)) throw new InputError(`trainingCurves.series[${i}] (${s.name})`, `colourOf "${key}" names no series`);
    const colour = seriesColour(key, runs.indexOf(key));
    const name = s.split ? `${s.name} (${s.split})` : s.name;
    if (s.faint) return { type: 'scatter', mode: 'lines', name, showlegend: false, opacity: 0.45, x: arr(s.step), y: arr(s.value), line: { color: colour, width: 1, dash: s.dash ?? 'solid' } };
    return { type: 'scatter', mode: s.split === 'val' ? 'lines+markers' : 'lines', name, x: arr(s.step), y: arr(s.value), line: { color: colour, width: s.split === 'val' ? 1.6 : 1.2, dash: s.dash ?? (s.split === 'val' ? 'dash' : 'solid') }, marker: { size: 5, color: colour } };
  });
  const base = baseLayout({ title: d.title, size: d.size });
  return fig(data, {
    ...base,
    ...(d.legend === 'right' ? {
      margin: { ...(base.margin as Record<string, number>), r: 12 },
      legend: LEGEND_BESIDE,
    } : { margin: { ...(base.margin as Record<string, number>), r: 24 } }),   // room for the last step's tick label at the right edge
    xaxis: axis(d.xLabel ?? 'training step', d.xUnit ?? 'iterations'),
    yaxis: axis(d.yLabel, d.yUnit, d.yLog ? { type: 'log', ...logTicks(...d.series.map((s) => s.value)) } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------
/**
 * Skeleton bone offsets: per bone, (candidate − reference) ÷ reference of the palm-normalised bone
 * length in % (negative = shorter in the candidate), largest first, bars in the candidate's domain colour.
 */
export function boneOffsetsFigure(d: { bones: { bone: string; pct: number }[]; reference: string; candidate: string; title?: string; size?: FigureSize }): PlotlyFigure {
  if (!d.bones.length) throw new InputError('boneOffsets.bones', 'no bones');
  d.bones.forEach((b, i) => { if (!Number.isFinite(b.pct)) throw new InputError(`boneOffsets.bones[${i}] (${b.bone})`, `pct is ${b.pct} (expected a finite number)`); });
  const sorted = [...d.bones].sort((a, b) => Math.abs(a.pct) - Math.abs(b.pct));   // largest at the top
  const colour = seriesColour(d.candidate, 1);
  const base = baseLayout({ title: d.title, size: d.size, legend: 'none' });
  return fig([{
    type: 'bar', orientation: 'h', name: `${d.candidate} vs ${d.reference}`, y: sorted.map((b) => b.bone), x: sorted.map((b) => b.pct),
    marker: { color: colour, line: { color: '#000', width: 0.6 } }, text: sorted.map((b) => `${b.pct > 0 ? '+' : ''}${b.pct.toFixed(1)}%`), textposition: 'outside', cliponaxis: false, textfont: { size: 9 },
  }], {
    ...base,
    margin: { ...(base.margin as Record<string, number>), r: 48 },   // room on the right for the bar labels drawn outside the plot
    xaxis: axis(`${d.candidate} vs ${d.reference}, palm-normalised`, '% length offset', { zeroline: true, zerolinecolor: '#000' }),
    yaxis: categoryAxis('bone', { showgrid: false }),
  });
}
