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
/** Fixed colours for the study's domains, so real/synthetic look the same in every figure. */
export const DOMAIN_COLOURS: Record<string, string> = { real: '#0072B2', synthetic: '#D55E00', mixed: '#009E73' };
/** Finger colours for joint overlays (thumb, index, middle, ring, little), wrist in black. */
export const FINGER_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#CC79A7', '#D55E00'] as const;

export const FONT_FAMILY = 'DejaVu Sans, Arial, Helvetica, sans-serif';
export const FONT_SIZE = 11;
export const SIZES = { single: { width: 480, height: 320 }, wide: { width: 760, height: 320 }, double: { width: 980, height: 380 } } as const;
export type FigureSize = keyof typeof SIZES;

export function colourAt(i: number): string { return PALETTE[i % PALETTE.length]; }

/** Colour for a series: its domain colour if the name says real/synthetic/mixed, else the palette. */
export function seriesColour(name: string, i: number, domain?: string): string {
  const d = (domain ?? name).toLowerCase();
  for (const k of Object.keys(DOMAIN_COLOURS)) if (d === k || d.startsWith(k)) return DOMAIN_COLOURS[k];
  return colourAt(i);
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

/** Base layout: white, tight margins, legend inside the top-right corner. */
export function baseLayout(opts: { title?: string; size?: FigureSize; legend?: 'inside' | 'below' | 'none' } = {}): Record<string, unknown> {
  const { width, height } = SIZES[opts.size ?? 'single'];
  const legend = opts.legend ?? 'inside';
  return {
    width, height,
    font: { family: FONT_FAMILY, size: FONT_SIZE, color: '#000' },
    paper_bgcolor: '#fff', plot_bgcolor: '#fff',
    margin: { l: 58, r: 12, t: opts.title ? 34 : 12, b: legend === 'below' ? 70 : 46 },
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
