#!/usr/bin/env python3
"""Replays a finished fl-hetero run in PyTorch and prints its accuracy per round beside the run's.

The reference trains the same network (Keras' MobileNetV2 as fl-hetero builds it: same layers, same padding,
BatchNorm epsilon and momentum, Glorot-uniform initialisation, Adam with PyTorch's defaults, which are DL4J's),
on the same per-client data (the run's client-data files), with the same work per client and round (batch
size, steps and examples from rounds.csv, learning rates from summary.json), BatchNorm statistics restarted
each round as fl-hetero's RoundBatchNorm does, each client keeping its Adam state across rounds as
fl-hetero's clients do, and the run's aggregation (FedAvg weighted by each client's training-set size, or
FedNova). Evaluation is federated as in fl-hetero: each client's test split, averaged by test examples.
What it cannot replay: the order of each client's batches (another random generator).

    java -jar target/fl-hetero.jar run --profile quickstart --keep-client-data
    python3 scripts/reference-pytorch.py runs/RUN_ID

Needs Debian's python3-torch, python3-numpy and python3-yaml (apt-get install python3-torch python3-yaml);
PyTorch is a reference here, never a dependency of fl-hetero.
"""
import argparse
import csv
import json
import math
import os
import sys
import time
from collections import defaultdict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml

RECORD = 1 + 3 * 32 * 32
CLASSES = 10
# Keras' (filters, stride, expansion) for blocks 0..16, as src/main/java/io/flhetero/model/MobileNetV2.java.
BLOCKS = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6),
          (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6),
          (320, 1, 6)]


def make_divisible(value, divisor=8):
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


class SameConv(nn.Conv2d):
    """A convolution with TensorFlow's 'same' padding: for stride 2 on even sizes, the extra row and column go
    to the bottom and right, as in Keras and DL4J's ConvolutionMode.Same."""

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        size = x.shape[-1]
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        x = F.pad(x, (total // 2, total - total // 2, total // 2, total - total // 2))
        return F.conv2d(x, self.weight, None, self.stride, 0, 1, self.groups)


class MobileNetV2(nn.Module):
    def __init__(self, alpha, bn_momentum, classes=CLASSES):
        super().__init__()
        layers = []

        def conv_bn(cin, cout, k, s, groups=1, relu=True):
            layers.append(SameConv(cin, cout, k, s, groups=groups, bias=False))
            layers.append(nn.BatchNorm2d(cout, eps=1e-3, momentum=1 - bn_momentum))
            if relu:
                layers.append(nn.ReLU6())

        self.residual = []
        channels = make_divisible(32 * alpha)
        conv_bn(3, channels, 3, 2)
        self.stem = nn.Sequential(*layers)
        self.blocks = nn.ModuleList()
        for i, (filters, stride, expansion) in enumerate(BLOCKS):
            layers = []
            out = make_divisible(int(filters * alpha))
            if i > 0:
                conv_bn(channels, expansion * channels, 1, 1)
            hidden = expansion * channels
            conv_bn(hidden, hidden, 3, stride, groups=hidden)
            conv_bn(hidden, out, 1, 1, relu=False)
            self.blocks.append(nn.Sequential(*layers))
            self.residual.append(channels == out and stride == 1)
            channels = out
        layers = []
        last = make_divisible(1280 * alpha) if alpha > 1 else 1280
        conv_bn(channels, last, 1, 1)
        self.head = nn.Sequential(*layers)
        self.fc = nn.Linear(last, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)  # Keras' and fl-hetero's Glorot uniform
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.stem(x)
        for block, residual in zip(self.blocks, self.residual):
            y = block(x)
            x = x + y if residual else y
        x = self.head(x)
        return self.fc(x.mean(dim=(2, 3)))


def restart_batchnorm(model, momentum, step):
    """fl-hetero's RoundBatchNorm: the round's k-th step moves the running statistics by max(1 - momentum, 1/k)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = max(1 - momentum, 1 / step)


def read_part(path):
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % RECORD:
        sys.exit(f"{path}: {raw.size} bytes is not whole {RECORD}-byte CIFAR-10 records")
    raw = raw.reshape(-1, RECORD)
    images = torch.from_numpy(raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0)
    return images, torch.from_numpy(raw[:, 0].astype(np.int64))


def state_vector(model):
    """Every float tensor of the state (weights and BatchNorm running statistics), as fl-hetero's parameter
    vector holds them; num_batches_tracked is left out, as it is not used with a fixed momentum."""
    return {k: v for k, v in model.state_dict().items() if v.dtype.is_floating_point}


def aggregate(strategy, global_state, results):
    """results: (state, training-set size, steps). FedAvg weights by training-set size; FedNova as fl-hetero's
    FedNova.combine."""
    results = [r for r in results if r[1] > 0 and r[2] > 0]
    if not results:
        return global_state
    examples = sum(r[1] for r in results)
    out = {}
    if strategy == "fednova":
        tau = sum(r[1] / examples * r[2] for r in results)
        for k, g in global_state.items():
            direction = sum((r[1] / examples / r[2]) * (g.double() - r[0][k].double()) for r in results)
            out[k] = (g.double() - tau * direction).float()
    else:
        for k in global_state:
            out[k] = sum(r[0][k].double() * (r[1] / examples) for r in results).float()
    return out


def evaluate(model, images, labels, batch):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(labels), batch):
            logits = model(images[i:i + batch])
            p = F.softmax(logits, dim=1).clamp(1e-7, 1 - 1e-7)  # Keras clips before the log, as fl-hetero does
            loss -= torch.log(p[torch.arange(len(logits)), labels[i:i + batch]]).sum().item()
            correct += (logits.argmax(1) == labels[i:i + batch]).sum().item()
    n = len(labels)
    return loss / n, correct / n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", help="a run directory of fl-hetero, run with --keep-client-data")
    parser.add_argument("--threads", type=int, default=1, help="PyTorch threads (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="PyTorch's seed: initial weights, batch order")
    parser.add_argument("--json", help="also write the table to this file as JSON")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    run = args.run_dir
    data_dir = os.path.join(run, "client-data")
    if not os.path.isdir(data_dir):
        sys.exit(f"{data_dir} does not exist: run fl-hetero with --keep-client-data so that the reference can "
                 "train on the same per-client data")
    with open(os.path.join(run, "profile.yaml")) as f:
        profile = yaml.safe_load(f)
    with open(os.path.join(run, "summary.json")) as f:
        summary = json.load(f)
    rows = defaultdict(list)
    with open(os.path.join(run, "rounds.csv")) as f:
        for row in csv.DictReader(f):
            rows[int(row["round"])].append(row)

    alpha = float(profile["model"]["alpha"])
    momentum = float(profile["model"]["batchnorm_momentum"])
    strategy = profile["strategy"]["name"]
    mu = float(profile["strategy"].get("proximal_mu") or 0)
    if strategy == "fedprox" and mu == 0:
        mu = 0.01
    clients = {c["id"]: c for c in summary["clients"]}
    data = {cid: (read_part(os.path.join(data_dir, f"{cid}-train.bin")),
                  read_part(os.path.join(data_dir, f"{cid}-test.bin"))) for cid in clients}
    global_model = MobileNetV2(alpha, momentum)
    global_state = {k: v.clone() for k, v in state_vector(global_model).items()}
    local = {}
    for cid, c in clients.items():
        m = MobileNetV2(alpha, momentum)
        local[cid] = (m, torch.optim.Adam(m.parameters(), lr=float(c["learning_rate"])))
    generator = torch.Generator().manual_seed(args.seed)

    print(f"reference (PyTorch {torch.__version__}, {args.threads} thread(s)) of run {summary['run_id']}: "
          f"{len(clients)} clients, {strategy}, MobileNetV2 alpha {alpha}, BatchNorm momentum {momentum}")
    print(f"{'round':>5}  {'fl-hetero':>9}  {'reference':>9}  {'diff':>6}  {'ref loss':>8}  {'ref s':>6}")
    table = []
    for rnd in sorted(rows):
        started = time.time()
        results = []
        for row in rows[rnd]:
            if row["status"] not in ("ok", "dropped") or int(row["steps"] or 0) == 0:
                continue
            cid = row["client_id"]
            model, optimizer = local[cid]
            model.load_state_dict(global_state, strict=False)
            batch, steps = int(row["batch_size"]), int(row["steps"])
            planned = clients[cid]
            lr = float(planned["learning_rate"]) * batch / int(planned["batch_size"])  # OOM back-off scales both
            for group in optimizer.param_groups:
                group["lr"] = lr
            (images, labels), _ = data[cid]
            anchor = [p.detach().clone() for p in model.parameters()] if mu > 0 else None
            model.train()
            done = 0
            while done < steps:
                order = torch.randperm(len(labels), generator=generator)
                for i in range(0, len(order), batch):
                    if done == steps:
                        break
                    idx = order[i:i + batch]
                    if len(idx) == 1:
                        # PyTorch refuses BatchNorm on one value per channel (the 1x1 maps of the last blocks);
                        # Keras and fl-hetero take it. The example twice is the same step: same mean, zero
                        # variance, the same mean loss and gradient.
                        idx = idx.repeat(2)
                    restart_batchnorm(model, momentum, done + 1)
                    loss = F.cross_entropy(model(images[idx]), labels[idx])
                    if anchor is not None:
                        loss = loss + mu / 2 * sum(((p - a) ** 2).sum() for p, a in zip(model.parameters(), anchor))
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    done += 1
            if row["status"] == "ok":
                results.append(({k: v.detach().clone() for k, v in state_vector(model).items()},
                                len(labels), steps))  # weighted by the client's training set, as fl-hetero's FedAvg
        global_state = aggregate(strategy, global_state, results)
        global_model.load_state_dict(global_state, strict=False)
        loss_sum, acc_sum, n = 0.0, 0.0, 0
        for cid in clients:
            _, (images, labels) = data[cid]
            if len(labels) == 0:
                continue
            loss, acc = evaluate(global_model, images, labels, 256)
            loss_sum += loss * len(labels)
            acc_sum += acc * len(labels)
            n += len(labels)
        ours = float(rows[rnd][0]["global_accuracy"])
        ref = acc_sum / n
        table.append({"round": rnd, "fl_hetero": ours, "reference": ref, "reference_loss": loss_sum / n})
        print(f"{rnd:>5}  {ours:>9.4f}  {ref:>9.4f}  {100 * (ours - ref):>+5.1f}p  {loss_sum / n:>8.4f}  "
              f"{time.time() - started:>6.1f}", flush=True)
    late = [abs(r["fl_hetero"] - r["reference"]) for r in table if r["round"] >= 5]
    if late:
        print(f"largest gap from round 5 on: {100 * max(late):.1f} points")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table, f, indent=1)


if __name__ == "__main__":
    main()
