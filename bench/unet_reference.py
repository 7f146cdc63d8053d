"""The same 3-D U-Net as Myoflow's default (depth 3, base 16, instance norm without affine, 1x1x1 conv to 8C then
depth-to-space upsampling, skip concatenation, 1x1x1 head) in PyTorch, timed like `myoflow bench-unet`:
inference at batch 1 and one training step (BCE + soft Dice, Adam) at 64x64x56, median after warm-up.

usage: /usr/bin/python3 bench/unet_reference.py REPS WARMUP BATCH BASE THREADS
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

reps, warmup, batch, base, threads = (int(a) for a in sys.argv[1:6])
torch.set_num_threads(threads)
torch.set_num_interop_threads(1)
torch.manual_seed(1)


class InstanceNorm(nn.Module):
    def forward(self, x):
        flat = x.flatten(2)
        c = flat - flat.mean(2, keepdim=True)
        return (c / (c.square().mean(2, keepdim=True) + 1e-5).sqrt()).view_as(x)


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1, bias=False), InstanceNorm(), nn.ReLU(),
                         nn.Conv3d(cout, cout, 3, padding=1, bias=False), InstanceNorm(), nn.ReLU())


class Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.cout = cout
        self.conv = nn.Conv3d(cin, 8 * cout, 1)

    def forward(self, x):
        n, _, d, h, w = x.shape
        y = self.conv(x).view(n, self.cout, 2, 2, 2, d, h, w).permute(0, 1, 5, 2, 6, 3, 7, 4)
        return y.reshape(n, self.cout, 2 * d, 2 * h, 2 * w)


class UNet(nn.Module):
    def __init__(self, depth=3, c=16):
        super().__init__()
        self.enc = nn.ModuleList()
        cin = 1
        for lvl in range(depth):
            self.enc.append(double_conv(cin, c << lvl))
            cin = c << lvl
        self.bottleneck = double_conv(cin, c << depth)
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        cin = c << depth
        for lvl in reversed(range(depth)):
            self.up.append(Up(cin, c << lvl))
            self.dec.append(double_conv(2 * (c << lvl), c << lvl))
            cin = c << lvl
        self.head = nn.Conv3d(c, 1, 1)

    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x)
            skips.append(x)
            x = F.max_pool3d(x, 2)
        x = self.bottleneck(x)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips)):
            x = dec(torch.cat([skip, up(x)], 1))
        return self.head(x)


def loss_fn(logits, y):
    bce = F.binary_cross_entropy_with_logits(logits, y)
    p = torch.sigmoid(logits)
    dims = (1, 2, 3, 4)
    dice = (2 * (p * y).sum(dims) + 1) / (p.sum(dims) + y.sum(dims) + 1)
    return bce + (1 - dice.mean())


def median(fn):
    for _ in range(warmup):
        fn()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        t.append((time.perf_counter() - t0) * 1000)
    t.sort()
    return t[reps // 2]


net = UNet(3, base)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.rand(batch, 1, 56, 64, 64)
y = (x > 0.7).float()
xi = torch.rand(1, 1, 56, 64, 64)


def step():
    opt.zero_grad()
    loss_fn(net(x), y).backward()
    opt.step()


def infer():
    with torch.no_grad():
        net.eval()
        net(xi).numpy()
        net.train()


print(json.dumps({'engine': 'PyTorch ' + torch.__version__ + ' (Python)', 'threads': threads,
                  'params': sum(p.numel() for p in net.parameters()),
                  'train_step_batch%d_ms' % batch: median(step), 'inference_batch1_ms': median(infer)}))
