/**
 * handgap as a library (`import { metrics } from 'handgap'`, or one area: `handgap/metrics`,
 * `handgap/spectral`, `handgap/hand`, `handgap/data`). The package ships the compiled build (dist/,
 * made by `npm run build` at prepare time); the CLI and notebooks use the sources.
 */
export * as metrics from './metrics/index.ts';
export * as spectral from './spectral/index.ts';
export * as hand from './hand/index.ts';
export * as data from './data/index.ts';
