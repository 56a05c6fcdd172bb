/**
 * Amplitude spectra of images and the spectral gap between image sets (package entry `handgap/spectral`).
 * Pure math (FFT, spectra, statistics, augmentation) plus the set-level readers (dataset.ts, IO).
 */
export { fft2, ifft2, rfft2, irfft2, fftshift, ifftshift, type ComplexPlane, type HalfSpectrum } from './fft.ts';
export { luminanceSpectrum, channelSpectra, amplitude, phase, logAmplitude, contrastNormalize, type FloatImage, type ImageLike } from './spectrum.ts';
export { radialProfile, angularProfile, radialEdges, summarize, varianceRatioScalar, compareSpectra, RATIO_BANDS, type SpectrumStats, type SpectrumComparison } from './stats.ts';
export { StatsAccumulator } from './accumulate.ts';
export { amplitudeMix, amplitudeSwap, amplitudePerturb, fdaSwap, applySpectralAugment, type SpectralAugment } from './augment.ts';
export { setSpectrum, listSetImages, type SetSpectrum, type SetSpectrumOptions } from './dataset.ts';
export { spectralGap, type SpectralGapOptions, type SpectralGapResult } from './gap.ts';
