"""numpy baseline for bench/spectral.ts (Debian python3-numpy, pocketfft, one core).

Reads N uint8 RGB images (N×S×S×3, raw) and times, on the same images as the TypeScript side:
  stats: per image np.abs(np.fft.fft2(...)) of R, G, B and luminance Y (BT.601, the linear combination of the channel
         spectra), log1p of it, and Welford updates of mean/M2 for both: the same accumulation as lib/spectral/stats.ts.
  mix:   one FACT-style amplitude mix of one image (fft2 of source and reference, abs/angle, mix, ifft2, real, clip).
Prints one JSON line: wall-clock rates and CPU-time rates (process_time; robust when the machine is shared).
"""
import json, sys, time
import numpy as np

path, n, s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
imgs = np.fromfile(path, dtype=np.uint8).reshape(n, s, s, 3)
w = np.array([0.299, 0.587, 0.114])

def stats(images):
    mean = np.zeros((2, 4, s, s)); m2 = np.zeros((2, 4, s, s))
    x = np.empty((2, 4, s, s)); delta = np.empty_like(x)
    for k, img in enumerate(images, start=1):
        chw = np.ascontiguousarray(img.transpose(2, 0, 1), dtype=np.float64)
        f = np.fft.fft2(chw)                      # (3, s, s) complex128
        fy = np.tensordot(w, f, axes=(0, 0))      # luminance spectrum
        np.abs(f, out=x[0, :3]); np.abs(fy, out=x[0, 3])
        np.log1p(x[0], out=x[1])
        np.subtract(x, mean, out=delta)
        mean += delta / k
        m2 += delta * (x - mean)
    return mean, m2 / len(images)

def mix(src, ref, lam):
    out = np.empty(src.shape)
    for c in range(3):
        fs = np.fft.fft2(src[:, :, c].astype(np.float64)); fr = np.fft.fft2(ref[:, :, c].astype(np.float64))
        a = (1 - lam) * np.abs(fs) + lam * np.abs(fr)
        out[:, :, c] = np.real(np.fft.ifft2(a * np.exp(1j * np.angle(fs))))
    return np.clip(out, 0, 255)

stats(imgs[:3])  # warm-up
t = time.perf_counter(); c = time.process_time(); mean, var = stats(imgs); dt = time.perf_counter() - t; dc = time.process_time() - c
reps = 30
mix(imgs[0], imgs[1], 0.5)
t = time.perf_counter(); c = time.process_time()
for i in range(reps): mix(imgs[i % n], imgs[(i + 1) % n], 0.5)
dm = (time.perf_counter() - t) / reps; dmc = (time.process_time() - c) / reps
print(json.dumps({"numpy": np.__version__, "images": n, "stats_seconds": dt, "stats_images_per_s": n / dt, "stats_images_per_cpu_s": n / dc, "mix_cpu_ms": dmc * 1e3,
                  "mix_ms": dm * 1e3, "check_var_y_mean": float(var[0, 3].mean()), "check_mean_y_dc": float(mean[0, 3, 0, 0])}))
