#!/usr/bin/env python3
"""Runs `bench train` side by side with PyTorch on this machine and prints the ratios.

Each cell (engine x batch size) runs in its own process, fl-hetero's and PyTorch's alternately, so both see the
same machine load; with --repeat N each cell runs N times and the medians are compared. The PyTorch peers:
- `same`: the network fl-hetero trains (Keras' MobileNetV2 with TensorFlow's padding, from
  scripts/reference-pytorch.py);
- `torchvision`: torchvision's mobilenet_v2(width_mult=alpha), the usual PyTorch baseline.
Both train with Adam on random 32x32x3 images and 10 classes, as `bench train` does.

    mvn -q package -DskipTests
    python3 scripts/bench-train-vs-pytorch.py --batch-sizes 32,256 --repeat 3

Needs Debian's python3-torch and python3-torchvision (apt-get install python3-torch python3-torchvision
python3-yaml); PyTorch is a reference here, never a dependency of fl-hetero.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def peak_rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def torch_cell(peer, alpha, batch, threads, steps, warmup):
    """Child: one PyTorch cell; prints a JSON line."""
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    if peer == "same":
        spec = importlib.util.spec_from_file_location("reference", os.path.join(HERE, "reference-pytorch.py"))
        reference = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(reference)
        model = reference.MobileNetV2(alpha, 0.999)
    else:
        import torchvision
        model = torchvision.models.mobilenet_v2(width_mult=alpha, num_classes=10)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    images = torch.rand(batch, 3, 32, 32)
    labels = torch.randint(0, 10, (batch,))
    model.train()
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    rss = peak_rss_mb()
    model.eval()
    eval_times = []
    with torch.no_grad():
        for i in range(warmup + steps):
            start = time.perf_counter()
            model(images)
            if i >= warmup:
                eval_times.append(time.perf_counter() - start)
    print(json.dumps({"train": batch / statistics.median(times), "eval": batch / statistics.median(eval_times),
                      "rss": rss}))


def run_torch(peer, args, batch):
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", peer, "--alpha", str(args.alpha),
                          "--batch-sizes", str(batch), "--threads", str(args.threads), "--steps", str(args.steps),
                          "--warmup", str(args.warmup)], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_fl_hetero(args, batch):
    out = subprocess.run(["java", "-jar", args.jar, "bench", "train", "--engines", "fused", "--threads",
                          str(args.threads), "--batch-sizes", str(batch), "--steps", str(args.steps), "--warmup",
                          str(args.warmup), "--alpha", str(args.alpha)], check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        f = line.split()
        if f and f[0] == "fused":
            return {"train": float(f[3]), "eval": float(f[5]), "rss": int(f[6])}
    raise SystemExit("no result line from bench train:\n" + out.stdout + out.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jar", default="target/fl-hetero.jar", help="fl-hetero's JAR (default target/fl-hetero.jar)")
    parser.add_argument("--batch-sizes", default="32,256", help="comma-separated (default 32,256)")
    parser.add_argument("--threads", type=int, default=1, help="threads for both (default 1)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps per cell (default 10)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps per cell (default 3)")
    parser.add_argument("--alpha", type=float, default=0.1, help="MobileNetV2 width (default 0.1)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each cell, medians compared (default 1)")
    parser.add_argument("--peers", default="same,torchvision", help="PyTorch peers (default same,torchvision)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        torch_cell(args.child, args.alpha, int(args.batch_sizes), args.threads, args.steps, args.warmup)
        return
    if not os.path.exists(args.jar):
        raise SystemExit(f"{args.jar} not found: build it first with mvn -q package -DskipTests")
    peers = args.peers.split(",")
    print(f"bench train against PyTorch: MobileNetV2 alpha {args.alpha}, {args.threads} thread(s), Adam, random "
          f"32x32x3 images; medians of {args.repeat} run(s) of {args.steps} steps, cells alternating")
    print(f"{'batch':>5} {'what':<14} {'fl-hetero':>10} " + " ".join(f"{p:>12} {'ratio':>6}" for p in peers))
    for batch in [int(b) for b in args.batch_sizes.split(",")]:
        ours, theirs = [], {p: [] for p in peers}
        for _ in range(args.repeat):
            ours.append(run_fl_hetero(args, batch))
            for p in peers:
                theirs[p].append(run_torch(p, args, batch))
        for key, label, higher_is_better in (("train", "train img/s", True), ("eval", "eval img/s", True),
                                             ("rss", "peak RSS MB", False)):
            mine = statistics.median(c[key] for c in ours)
            row = f"{batch:>5} {label:<14} {mine:>10.0f} "
            for p in peers:
                peer = statistics.median(c[key] for c in theirs[p])
                row += f"{peer:>12.0f} {mine / peer:>5.2f}x "
            print(row.rstrip(), flush=True)
    print("ratio: fl-hetero / PyTorch (above 1 is faster for img/s, larger for RSS)")


if __name__ == "__main__":
    main()
