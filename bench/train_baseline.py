#!/usr/bin/env python3
"""PyTorch CPU twin of the pose estimator for bench/train.ts: the same fully convolutional heatmap network
(lib/train/pose/model.ts: stem 3x3/2 conv-BN-ReLU, ResNet basic blocks with batch norm, 4x4/2 transposed
convs up to the heatmap grid, 1x1 conv to 21 heatmaps + 21 depth maps) and the same loss (soft-argmax L1,
depth L1, heatmap cross-entropy), trained on random data. Prints one JSON line
{steps_per_s, images_per_s, cpu_s_per_step, threads, torch, params} (cpu_s_per_step: process CPU time per step,
which a loaded machine disturbs far less than wall time).
Usage: python3 bench/train_baseline.py --size 64 --batch 32 --seconds 8 --widths 24,48,96 --blocks 1,1,1
       [--heatmap-stride 4] [--up-width 48] [--threads N]"""
import argparse, json, sys, time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print(json.dumps({"skipped": "torch is not installed (Debian: apt-get install python3-torch)"}))
    sys.exit(0)

J = 21


def conv_bn(cin, cout, k, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout, momentum=0.1, eps=1e-5))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = conv_bn(cin, cout, 3, stride)
        self.c2 = conv_bn(cout, cout, 3, 1)
        nn.init.zeros_(self.c2[1].weight)  # gamma 0: the block starts as the identity, as in model.ts
        self.proj = conv_bn(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        h = self.c2(torch.relu(self.c1(x)))
        return torch.relu(h + (self.proj(x) if self.proj is not None else x))


class PoseNet(nn.Module):
    def __init__(self, widths, blocks, heatmap_stride, up_width):
        super().__init__()
        layers = [conv_bn(3, widths[0], 3, 2), nn.ReLU()]
        c = widths[0]
        for s, (w, n) in enumerate(zip(widths, blocks)):
            for b in range(n):
                layers.append(Block(c, w, 2 if s > 0 and b == 0 else 1))
                c = w
        stride = 2 ** len(widths)
        while stride > heatmap_stride:
            layers += [nn.ConvTranspose2d(c, up_width, 4, 2, 1, bias=False), nn.BatchNorm2d(up_width), nn.ReLU()]
            c, stride = up_width, stride // 2
        layers.append(nn.Conv2d(c, 2 * J, 1))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x)


def pose_loss(maps, uv, z, heat):
    B, _, H, W = maps.shape
    logits = maps[:, :J].reshape(B, J, H * W)
    depth = maps[:, J:].reshape(B, J, H * W)
    logp = torch.log_softmax(logits, dim=2)
    p = logp.exp()
    gu = ((torch.arange(W) + 0.5) / W).repeat(H)
    gv = ((torch.arange(H) + 0.5) / H).repeat_interleave(W)
    u, v = (p * gu).sum(2), (p * gv).sum(2)
    dz = (p * depth).sum(2)
    l_uv = 10 * (torch.stack([u, v], 2).reshape(B, 2 * J) - uv).abs().mean()
    l_z = (dz - z).abs().mean()
    l_heat = -(heat * logp).sum() / (B * J)
    return 3 * l_z + l_uv + 0.1 * l_heat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--widths", default="24,48,96")
    ap.add_argument("--blocks", default="1,1,1")
    ap.add_argument("--heatmap-stride", type=int, default=4)
    ap.add_argument("--up-width", type=int, default=48)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = PoseNet([int(v) for v in a.widths.split(",")], [int(v) for v in a.blocks.split(",")], a.heatmap_stride, a.up_width)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    H = a.size // a.heatmap_stride
    x = torch.rand(a.batch, 3, a.size, a.size)
    uv = torch.rand(a.batch, 2 * J)
    z = torch.randn(a.batch, J)
    heat = torch.softmax(torch.randn(a.batch, J, H * H), dim=2)

    def step():
        opt.zero_grad()
        loss = pose_loss(net(x), uv, z, heat)
        loss.backward()
        opt.step()
        return loss.item()

    step()  # warm-up
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while n < 5 or time.perf_counter() - t0 < a.seconds:
        step()
        n += 1
    sps = n / (time.perf_counter() - t0)
    cpu = (time.process_time() - c0) / n
    params = sum(p.numel() for p in net.parameters())
    print(json.dumps({"steps_per_s": sps, "images_per_s": sps * a.batch, "cpu_s_per_step": cpu, "steps": n, "threads": torch.get_num_threads(), "torch": torch.__version__, "params": params}))


if __name__ == "__main__":
    main()
