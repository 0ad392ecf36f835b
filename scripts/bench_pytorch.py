"""PyTorch CPU, one thread, on the same workloads as `convscope bench` (src/core/bench.rs), plus
the Net's training step on every core (the in-page rows' comparison).

Prints a table and writes JSON rows like convscope's. `make bench` runs it when torch imports.
With --cuda (and a CUDA device), it adds PyTorch on the GPU ("pytorch cuda" rows) beside
convscope's native WebGPU rows: the Net's training step at batch 64 and 256 and the big
convolution's three passes at batch 1, each timed with the device synchronised.
Usage: python3 scripts/bench_pytorch.py [--json FILE] [--quick] [--cuda]
"""

import argparse
import json
import os
import statistics
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = torch.nn.Conv2d(10, 20, kernel_size=5)
        self.pooling = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(320, 10)

    def forward(self, x):
        batch_size = x.size(0)
        x = F.relu(self.pooling(self.conv1(x)))
        x = F.relu(self.pooling(self.conv2(x)))
        return self.fc(x.view(batch_size, -1))


def timed(fn, repeats):
    fn()
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def cuda_rows(rows, quick):
    """The GPU rows, on the workloads of convscope's native WebGPU rows (src/core/bench.rs)."""
    dev = torch.device("cuda")

    def row(workload, value, unit):
        rows.append({"workload": workload, "backend": "pytorch cuda", "value": value, "unit": unit,
                     "device": torch.cuda.get_device_name(0)})

    def synced(fn):
        def run():
            fn()
            torch.cuda.synchronize()
        return run

    torch.manual_seed(1)
    for batch in (64, 256):
        net = Net().to(dev)
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.5)
        x = torch.randn(batch, 1, 28, 28, device=dev)
        y = (torch.arange(batch) % 10).to(dev)

        def step():
            opt.zero_grad()
            F.cross_entropy(net(x), y).backward()
            opt.step()

        timed(synced(step), 3)
        row(f"train Net, batch {batch}", batch / timed(synced(step), 5 if quick else 100), "images/s")
    big = torch.randn(1, 64, 56, 56, device=dev, requires_grad=True)
    w = torch.randn(64, 64, 3, 3, device=dev, requires_grad=True)
    flops = 2 * 64 * 56 * 56 * 64 * 9
    repeats = 5 if quick else 50
    with torch.no_grad():
        row("conv 1x64x56x56 3x3 p1 forward",
            flops / timed(synced(lambda: F.conv2d(big, w, padding=1)), repeats) / 1e9, "GFLOP/s")
    out = F.conv2d(big, w, padding=1)
    dy = torch.randn_like(out)
    row("conv 1x64x56x56 3x3 p1 input gradient",
        flops / timed(synced(lambda: torch.autograd.grad(out, big, dy, retain_graph=True)), repeats) / 1e9, "GFLOP/s")
    row("conv 1x64x56x56 3x3 p1 weight gradient",
        flops / timed(synced(lambda: torch.autograd.grad(out, w, dy, retain_graph=True)), repeats) / 1e9, "GFLOP/s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cuda", action="store_true")
    args = parser.parse_args()
    rows = []

    def row(workload, value, unit):
        rows.append({"workload": workload, "backend": "pytorch", "value": value, "unit": unit})

    torch.manual_seed(1)
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.5)
    x = torch.randn(64, 1, 28, 28)
    y = torch.arange(64) % 10

    def step():
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()

    row("train Net, batch 64", 64 / timed(step, 5 if args.quick else 50), "images/s")
    cores = os.cpu_count() or 1
    torch.set_num_threads(cores)
    rows.append({"workload": "train Net, batch 64", "backend": "pytorch all cores",
                 "threads": cores, "value": 64 / timed(step, 5 if args.quick else 50), "unit": "images/s"})
    torch.set_num_threads(1)
    x1 = torch.randn(1, 1, 28, 28)
    with torch.no_grad():
        row("one image forward", timed(lambda: net(x1), 50 if args.quick else 500) * 1e6, "µs")

    batch = 2 if args.quick else 64
    big = torch.randn(batch, 64, 56, 56, requires_grad=True)
    w = torch.randn(64, 64, 3, 3, requires_grad=True)
    flops = 2 * 64 * 56 * 56 * 64 * 9 * batch
    repeats = 1 if args.quick else 3
    label = f"conv {batch}x64x56x56 3x3 p1"
    with torch.no_grad():
        row(f"{label} forward", flops / timed(lambda: F.conv2d(big, w, padding=1), repeats) / 1e9, "GFLOP/s")
    out = F.conv2d(big, w, padding=1)
    dy = torch.randn_like(out)
    row(f"{label} input gradient",
        flops / timed(lambda: torch.autograd.grad(out, big, dy, retain_graph=True), repeats) / 1e9, "GFLOP/s")
    row(f"{label} weight gradient",
        flops / timed(lambda: torch.autograd.grad(out, w, dy, retain_graph=True), repeats) / 1e9, "GFLOP/s")

    if args.cuda:
        if torch.cuda.is_available():
            cuda_rows(rows, args.quick)
        else:
            print("bench_pytorch: --cuda given but torch sees no CUDA device: no 'pytorch cuda' rows")

    for r in rows:
        print(f"{r['workload']:<44} {r['backend']:<17} {r['value']:>12.2f} {r['unit']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
