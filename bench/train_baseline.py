#!/usr/bin/env python3
"""PyTorch CPU baseline for bench/train.ts: trains the same residual pose net (lib/train/pose/model.ts,
STANDARD_POSENET) on random data and prints one JSON line {steps_per_s, images_per_s, threads, torch}.
Usage: python3 bench/train_baseline.py --size 128 --batch 16 --seconds 8 [--widths 16,32,64,128] [--threads N]"""
import argparse, json, sys, time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print(json.dumps({"skipped": "torch is not installed (Debian: apt-get install python3-torch)"}))
    sys.exit(0)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.proj = nn.Conv2d(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        h = self.c2(torch.relu(self.c1(x)))
        return torch.relu(h + (self.proj(x) if self.proj is not None else x))


class PoseNet(nn.Module):
    def __init__(self, widths, blocks):
        super().__init__()
        layers = [nn.Conv2d(3, widths[0], 3, 2, 1), nn.ReLU()]
        c = widths[0]
        for s, (w, n) in enumerate(zip(widths, blocks)):
            for b in range(n):
                layers.append(Block(c, w, 2 if s > 0 and b == 0 else 1))
                c = w
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(c, 256)
        self.out = nn.Linear(256, 105)

    def forward(self, x):
        h = self.body(x).mean(dim=(2, 3))
        return self.out(torch.relu(self.fc(h)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--widths", default="16,32,64,128")
    ap.add_argument("--blocks", default="1,1,1,1")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = PoseNet([int(v) for v in a.widths.split(",")], [int(v) for v in a.blocks.split(",")])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(a.batch, 3, a.size, a.size)
    y = torch.randn(a.batch, 105)

    def step():
        opt.zero_grad()
        p = net(x)
        loss = (p[:, :63] - y[:, :63]).abs().mean() + 10 * (p[:, 63:] - y[:, 63:]).abs().mean()
        loss.backward()
        opt.step()
        return loss.item()

    step()  # warm-up
    n, t0 = 0, time.perf_counter()
    while n < 2 or time.perf_counter() - t0 < a.seconds:
        step()
        n += 1
    sps = n / (time.perf_counter() - t0)
    print(json.dumps({"steps_per_s": sps, "images_per_s": sps * a.batch, "steps": n, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
