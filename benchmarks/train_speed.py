"""Training speed of the NumPy TinyCNN, side by side with the same network in PyTorch (CPU).

The default network (conv 3×3 ×8 → ReLU → max-pool 2 → conv 3×3 ×16 → ReLU → max-pool 2 →
dense → softmax, "same" padding, Adam) trains for a fixed number of steps of batch 64 on 8×8
inputs (the UCI digits) and on 28×28 inputs (the toy shapes), and we print images/second.

Fairness rules (see issue 5):
- each library runs in its own process, alternating A B A B …, several rounds; the best
  round counts for each;
- PyTorch runs at 1 and at 2 threads and keeps the better; so does NumPy (its BLAS threads);
- achieved GFLOP/s (the convolutions' and dense layer's multiply-adds, forward and backward)
  is compared with a float32 matrix-multiply peak measured in the same process.

It also trains the default network on the digits with a fixed seed and reports the training
compute (forward, backward, update; evaluation excluded) until test accuracy ≥ 97 %.

Run (OpenBLAS tuning variables some machines set slow NumPy down; unset them here only):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/train_speed.py

The last line is ``ratio numpy/torch: 8x8 <r>, 28x28 <r>`` (NumPy images/s over PyTorch's);
without an importable torch the comparison is skipped with a message instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 64
SIZES = (8, 28)
FILTERS = (8, 16)
KERNEL = 3
N_CLASSES = 10


# --- workers: one library, one input size, one thread count per process ----------------------


def _data(size: int, n: int = 2048):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((n, 1, size, size), dtype=np.float32)
    y = rng.integers(0, N_CLASSES, size=n)
    return x, y


def _step_flops(size: int) -> int:
    """Multiply-adds × 2 of one training step (forward + backward; conv1 has no dx)."""
    flops, C, H = 0, 1, size
    for i, F in enumerate(FILTERS):
        fwd = 2 * BATCH * H * H * F * C * KERNEL * KERNEL
        flops += fwd * (3 if i else 2)  # forward, dw, and dx except for the first layer
        C, H = F, H // 2
    dense = 2 * BATCH * C * H * H * N_CLASSES
    return flops + 3 * dense


def _matmul_peak() -> float:
    import numpy as np

    a = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - t)
    return 2 * 1024**3 / best / 1e9


def _time_steps(step, steps: int) -> float:
    for _ in range(5):  # warm-up: allocations, caches, lazy initialisation
        step(0)
    t = time.perf_counter()
    for i in range(steps):
        step(i)
    return time.perf_counter() - t


def numpy_worker(size: int, steps: int) -> dict:
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from cnnviz.nn import Adam, CNNConfig, TinyCNN
    from cnnviz.nn.runtime import keep_freed_memory

    keep_freed_memory()  # as the server does at start; the torch worker gets the same setting
    x, y = _data(size)
    model = TinyCNN.create(CNNConfig((1, size, size), FILTERS, KERNEL), np.random.default_rng(0))
    opt = Adam(1e-3)
    n_batches = len(x) // BATCH

    def step(i):
        j = (i % n_batches) * BATCH
        _, grads = model.loss_and_grads(x[j : j + BATCH], y[j : j + BATCH])
        opt.step(model.params, grads)

    seconds = _time_steps(step, steps)
    return {"seconds": seconds, "peak_gflops": _matmul_peak()}


def torch_worker(size: int, steps: int, threads: int) -> dict:
    import torch
    from torch import nn

    sys.path.insert(0, str(ROOT))
    from cnnviz.nn.runtime import keep_freed_memory

    keep_freed_memory()  # the same malloc settings as the NumPy worker
    torch.set_num_threads(threads)
    x, y = _data(size)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    torch.manual_seed(0)
    flat = FILTERS[-1] * (size // 4) ** 2
    layers, C = [], 1
    for F in FILTERS:
        layers += [nn.Conv2d(C, F, KERNEL, padding=KERNEL // 2), nn.ReLU(), nn.MaxPool2d(2)]
        C = F
    model = nn.Sequential(*layers, nn.Flatten(), nn.Linear(flat, N_CLASSES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n_batches = len(x) // BATCH

    def step(i):
        j = (i % n_batches) * BATCH
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[j : j + BATCH]), y[j : j + BATCH])
        loss.backward()
        opt.step()

    return {"seconds": _time_steps(step, steps)}


def accuracy_worker(target: float = 0.97, max_steps: int = 2000) -> dict:
    """Train the default network on the digits (seed 0, Adam 0.01, batch 64) until the test
    accuracy reaches `target`; count only training compute."""
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from cnnviz.data.datasets import digits_dataset
    from cnnviz.nn import Adam, CNNConfig, TinyCNN, evaluate, train_steps

    data = digits_dataset()
    rng = np.random.default_rng(0)
    model = TinyCNN.create(CNNConfig(), rng)
    compute, accuracy = 0.0, 0.0
    for stats in train_steps(model, data, batch_size=BATCH, optimizer=Adam(0.01), rng=rng):
        compute += stats.seconds
        if stats.step % 10 == 0:
            accuracy = evaluate(model, data.x_test, data.y_test).accuracy
            if accuracy >= target or stats.step >= max_steps:
                break
    return {
        "seconds": compute,
        "steps": stats.step,
        "epochs": stats.images_seen / len(data.y_train),
        "accuracy": accuracy,
    }


# --- the driver -------------------------------------------------------------------------------


def _run(args: list[str], threads: int) -> dict:
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=200, help="timed steps per run")
    parser.add_argument("--rounds", type=int, default=3, help="A B A B rounds")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "numpy":
        print(json.dumps(numpy_worker(args.size, args.steps)))
        return
    if args.worker == "torch":
        print(json.dumps(torch_worker(args.size, args.steps, args.threads)))
        return
    if args.worker == "accuracy":
        print(json.dumps(accuracy_worker()))
        return
    drive(args.steps, args.rounds)


def drive(steps: int, rounds: int) -> None:
    have_torch = importlib.util.find_spec("torch") is not None
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"note: {var}={os.environ[var]} is set; it may slow NumPy's BLAS down")
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, batch {BATCH}, "
        f"{steps} timed steps per run, {rounds} rounds (best counts), threads 1 and 2"
    )
    best: dict[tuple[str, int], tuple[float, int]] = {}
    per_round: dict[tuple[str, int, int], float] = {}  # (lib, size, round) -> best of threads
    peak = 0.0
    for r in range(rounds):
        for size in SIZES:
            for threads in (1, 2):
                common = ["--size", str(size), "--steps", str(steps), "--threads", str(threads)]
                runs = [("numpy", _run(["--worker", "numpy", *common], threads))]
                if have_torch:
                    runs.append(("torch", _run(["--worker", "torch", *common], threads)))
                for lib, result in runs:
                    rate = steps * BATCH / result["seconds"]
                    peak = max(peak, result.get("peak_gflops", 0.0))
                    print(
                        f"round {r + 1}  {size:2d}x{size:<2d}  {lib:5s}  {threads} thread(s)  "
                        f"{rate:9.0f} images/s"
                    )
                    key = (lib, size, r)
                    per_round[key] = max(per_round.get(key, 0.0), rate)
                    if rate > best.get((lib, size), (0.0, 0))[0]:
                        best[(lib, size)] = (rate, threads)
    print()
    print(f"float32 matmul peak (1024², NumPy): {peak:.1f} GFLOP/s")
    for size in SIZES:
        for lib in ("numpy", "torch") if have_torch else ("numpy",):
            rate, threads = best[(lib, size)]
            gflops = _step_flops(size) * rate / BATCH / 1e9
            print(
                f"{size:2d}x{size:<2d} {lib:5s} best {rate:9.0f} images/s ({threads} thread(s)), "
                f"{gflops:5.2f} GFLOP/s = {100 * gflops / peak:4.1f} % of peak"
            )
    acc = _run(["--worker", "accuracy"], 1)
    print(
        f"digits, default network, seed 0, Adam 0.01, batch {BATCH}: test accuracy "
        f"{100 * acc['accuracy']:.1f} % after {acc['steps']} steps ({acc['epochs']:.1f} epochs),"
        f" {acc['seconds']:.2f} s of training compute (1 BLAS thread)"
    )
    if not have_torch:
        print(
            "torch is not importable here: skipped the PyTorch comparison (install torch in "
            "this interpreter to compare)"
        )
        return
    for size in SIZES:  # each round's pair ran back to back: less exposed to load swings
        paired = sorted(
            per_round[("numpy", size, r)] / per_round[("torch", size, r)] for r in range(rounds)
        )
        print(
            f"{size}x{size} numpy/torch per round: {', '.join(f'{p:.2f}' for p in paired)} "
            f"(median {paired[len(paired) // 2]:.2f})"
        )
    r8, r28 = (best[("numpy", s)][0] / best[("torch", s)][0] for s in SIZES)
    print(f"ratio numpy/torch: 8x8 {r8:.2f}, 28x28 {r28:.2f}")


if __name__ == "__main__":
    main()
