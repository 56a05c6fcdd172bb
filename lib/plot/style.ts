/**
 * The one print style of every handgap figure (pure): a paper-like look with a colour-blind-safe
 * palette (Okabe & Ito 2008), DejaVu Sans (the font Debian installs with chromium), black axis lines
 * with outside ticks, light grid, and sizes for one (480 px ≈ 3.3 in at 2× export) or two columns.
 */

/** A plain plotly figure object (what Plotly.newPlot / Plotly.toImage take). */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** Okabe–Ito colours, in the order series get them. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'] as const;
/**
 * Fixed colours for the study's domains, so each looks the same in every figure: real blue, synthetic
 * vermillion, synthetic after (amplitude) augmentation reddish purple, real+synthetic mixed green.
 */
export const DOMAIN_COLOURS = { real: '#0072B2', synthetic: '#D55E00', 'synthetic+augmentation': '#CC79A7', mixed: '#009E73' } as const;
export type Domain = keyof typeof DOMAIN_COLOURS;

/**
 * The domain a series belongs to, from an explicit domain or its name: "real (hgc-dev)" → real,
 * "synthetic + amplitude mix" / "synthetic (augmented)" → synthetic+augmentation, "mixed ..." → mixed.
 */
export function domainOf(nameOrDomain: string): Domain | null {
  const d = nameOrDomain.toLowerCase().trim();
  if (d in DOMAIN_COLOURS) return d as Domain;
  if (d.startsWith('mixed') || d.startsWith('real+synthetic') || d.startsWith('real + synthetic')) return 'mixed';
  if (d.startsWith('synthetic')) return /augment|\+|amplitude|spectral|fda|swap/.test(d.slice('synthetic'.length)) ? 'synthetic+augmentation' : 'synthetic';
  if (d.startsWith('real')) return 'real';
  return null;
}
/** Finger colours for joint overlays (thumb, index, middle, ring, little), wrist in black. */
export const FINGER_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#CC79A7', '#D55E00'] as const;

export const FONT_FAMILY = 'DejaVu Sans, Arial, Helvetica, sans-serif';
export const FONT_SIZE = 11;
export const SIZES = { single: { width: 480, height: 320 }, wide: { width: 760, height: 320 }, double: { width: 980, height: 380 } } as const;
export type FigureSize = keyof typeof SIZES;

export function colourAt(i: number): string { return PALETTE[i % PALETTE.length]; }

/** Colour for a series: its domain colour (domainOf), else the palette. */
export function seriesColour(name: string, i: number, domain?: string): string {
  const d = domainOf(domain ?? name);
  return d ? DOMAIN_COLOURS[d] : colourAt(i);
}

/** rgba() of a hex colour, for interval bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** Axis title with its unit, e.g. "PA-MPJPE (cm)"; the unit is required so no axis goes without one. */
export function axisTitle(label: string, unit: string): string {
  if (!unit) throw new Error(`axis "${label}" needs a unit (use "%", "fraction", "count", "a.u." ...)`);
  return `${label} (${unit})`;
}

/** Axis settings in the print style. */
export function axis(label: string, unit: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: axisTitle(label, unit), font: { size: FONT_SIZE + 1 }, standoff: 6 },
    showline: true, linecolor: '#000', linewidth: 1, mirror: true,
    ticks: 'outside', ticklen: 4, tickwidth: 1, tickcolor: '#000', tickfont: { size: FONT_SIZE },
    showgrid: true, gridcolor: '#e6e6e6', gridwidth: 1, zeroline: false, automargin: true,
    ...extra,
  };
}

/** A categorical axis (no unit: its ticks are names), in the print style. */
export function categoryAxis(label: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { title: _t, ...rest } = axis(label, '-', extra);
  return { title: { text: label, font: { size: FONT_SIZE + 1 }, standoff: 6 }, ...rest, type: 'category' };
}

export interface Provenance { scale?: string; seeds?: number[]; testSet?: string;
  /** one short caveat printed after the rest, e.g. "no signal at this scale: every arm within 1.12× of its constant pose" */
  note?: string }

/**
 * The line under a figure that says where its numbers come from: test set, scale, seeds; at smoke
 * scale also that it is a plumbing check. Added by the figure export (registry.ts) from the figure's
 * metadata; the bottom margin grows to make room.
 */
export function withProvenance(fig: PlotlyFigure, p: Provenance): PlotlyFigure {
  const parts = [p.testSet ? `test set: ${p.testSet}` : '', p.scale ? `scale: ${p.scale}` : '', p.seeds?.length ? `seed${p.seeds.length > 1 ? 's' : ''}: ${p.seeds.join(', ')}` : ''].filter(Boolean);
  if (!parts.length) return fig;
  const smoke = p.scale?.startsWith('smoke') ?? false;
  const caveats = [smoke ? 'plumbing check: no signal at this scale' : '', p.note ?? ''].filter(Boolean);
  const margin = { ...((fig.layout.margin as Record<string, number> | undefined) ?? { l: 58, r: 12, t: 12, b: 46 }) };
  // as many lines as the figure's width needs (about 5.2 px per character at this size), broken between items
  const avail = Number(fig.layout.width ?? 480) - 12;
  const lines: string[] = [];
  for (const seg of [...parts, ...caveats]) {
    const cand = lines.length ? `${lines[lines.length - 1]} · ${seg}` : seg;
    if (lines.length && cand.length * 5.2 <= avail) lines[lines.length - 1] = cand; else lines.push(seg);
  }
  const text = lines.join('<br>');
  const extra = 8 + 13 * lines.length;   // 13 px a line: browsers' line height for the 9 px footer font is taller than chromium's export
  margin.b = (margin.b ?? 46) + extra;
  const height = Number(fig.layout.height ?? 320) + extra;
  const annotations = [...((fig.layout.annotations as unknown[] | undefined) ?? []),
    // from the figure's left edge (a legend beside the plot narrows the plot, not the figure)
    { xref: 'paper', yref: 'paper', x: 0, xanchor: 'left', xshift: -(margin.l ?? 58) + 6, y: 0, yanchor: 'top', yshift: -(margin.b - extra), text, align: 'left', showarrow: false, font: { size: FONT_SIZE - 2, color: smoke || p.note ? '#B00020' : '#555' } }];
  return { ...fig, layout: { ...fig.layout, height, margin, annotations } };
}

/** Base layout: white, tight margins, legend inside the top-right corner. */
export function baseLayout(opts: { title?: string; size?: FigureSize; legend?: 'inside' | 'below' | 'none' } = {}): Record<string, unknown> {
  const { width, height } = SIZES[opts.size ?? 'single'];
  const legend = opts.legend ?? 'inside';
  return {
    width, height,
    font: { family: FONT_FAMILY, size: FONT_SIZE, color: '#000' },
    paper_bgcolor: '#fff', plot_bgcolor: '#fff',
    margin: { l: 58, r: 12, t: opts.title ? 34 : 12, b: legend === 'below' ? 84 : 46 },
    ...(opts.title ? { title: { text: opts.title, x: 0.5, xanchor: 'center', y: 0.98, yanchor: 'top', font: { size: FONT_SIZE + 2 } } } : {}),
    showlegend: legend !== 'none',
    legend: legend === 'below'
      ? { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.22, yanchor: 'top', font: { size: FONT_SIZE } }
      : { x: 0.99, xanchor: 'right', y: 0.99, yanchor: 'top', bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#999', borderwidth: 0.5, font: { size: FONT_SIZE - 1 } },
    hovermode: 'closest',
  };
}

/** Plotly config for display: no logo, PNG download at 2×. */
export const DISPLAY_CONFIG = { displaylogo: false, responsive: false, toImageButtonOptions: { format: 'png', scale: 2 } };
