"""Lesson 8: does transfer learning beat training from scratch with few examples? And how fast?

Few-shot tasks, none of whose classes the pre-trained network (assets/pretrained/glyphs_cnn.npz,
62 glyph classes) has seen:

- the starter set (`cnnviz.data.starter_set`): 3 random classes of 8 per seed, gray and RGB,
  and all 8 classes, prepared like a learner's examples (`cnnviz.data.own_classes.prepare`);
- the held-back glyphs (`cnnviz.data.glyphs.HELD_BACK`, 10 classes).

For 1, 2, 5 and 10 training examples per class, three networks of the same architecture train
for `--steps` Adam steps (batch 32) and are tested on 30 new examples per class:
- scratch: every layer from random weights (lr 0.01 and 0.003; the better mean is shown);
- frozen: conv layers copied from the pre-trained network and frozen, only dense trains (lr 0.01);
- fine-tune: as frozen, but the last conv layer trains too at 0.1 × the learning rate.
Every network has dropout `--dropout` (default 0.5) before its dense layer: measured, it helps
all three with so few examples, transfer most (3 starter classes, 1 / 2 / 5 examples: frozen
75 → 82 / 81 → 88 / 92 → 94 %, scratch at lr 0.003 71 → 73 / 74 → 77 / 89 → 90 %).
Held-out accuracy is the mean ± standard deviation over `--seeds` seeds (each seed draws new
classes, examples and starting weights); "paired" is the mean ± sd of frozen minus scratch on
the same seed (the same classes and examples), and how many seeds transfer won.

Then the lesson's case, 3 classes × 10 examples at 32 × 32 RGB (2 held back per class, 8 to
train on): the training compute until held-out accuracy reaches its plateau (evaluated every
5 steps: from then on the mean of 5 evaluations stays within 2 points of the mean of the last
10 evaluations of 300 steps),
steps/s of each network, and the per-step time of lesson 7's default network for comparison.
Then the step time with nothing, the first two and all conv layers frozen.

Run: ``.venv/bin/python benchmarks/transfer_vs_scratch.py`` (about 10 minutes on 2 busy cores;
``--seeds 3 --steps 100`` for a quick look). Prints markdown tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.data import glyphs, own_classes, starter_set  # noqa: E402
from cnnviz.data.pretrained import load_pretrained  # noqa: E402
from cnnviz.nn import (  # noqa: E402
    CNNConfig,
    TinyCNN,
    evaluate,
    load,
    make_optimizer,
    runtime,
    train_steps,
)
from cnnviz.nn.train import stratified_split  # noqa: E402
from cnnviz.nn.transfer import frozen_plan, transfer_network  # noqa: E402

SHOTS = (1, 2, 5, 10)
METHODS = ("scratch", "frozen", "fine-tune")


def starter_task(k: int, channels: int):
    def make(rng: np.random.Generator, n: int):
        names = starter_set.CLASS_NAMES
        if k < len(names):
            names = tuple(str(c) for c in rng.choice(names, k, replace=False))
        return _xy(starter_set.make_starter_set(names, n, rng), channels), _xy(
            starter_set.make_starter_set(names, 30, rng), channels
        )

    return make


def _xy(sets: dict, channels: int):
    x = np.concatenate([own_classes.prepare_batch(v, channels) for v in sets.values()])
    return x, np.repeat(np.arange(len(sets)), [len(v) for v in sets.values()])


def glyph_task(rng: np.random.Generator, n: int):
    def xy(g):
        return (g.images.astype(np.float32) / 255)[:, None], g.labels.astype(np.intp)

    return xy(glyphs.make_glyphs(n, rng, glyphs.HELD_BACK)), xy(
        glyphs.make_glyphs(30, rng, glyphs.HELD_BACK)
    )


DROPOUT = 0.5  # set by --dropout


def network(method: str, pre: TinyCNN, input_shape, k: int, seed: int, lr: float):
    """(model, optimizer, frozen) for one method."""
    rng = np.random.default_rng(seed)
    if method == "scratch":
        config = CNNConfig(
            input_shape=input_shape, filters=pre.config.filters, n_classes=k, dropout=DROPOUT
        )
        model, frozen, scale = TinyCNN.create(config, rng), frozenset(), {}
    else:
        model = transfer_network(pre, input_shape, k, rng, dropout=DROPOUT)
        plan = frozen_plan(model.config, fine_tune_last=method == "fine-tune")
        frozen, scale = plan.frozen, plan.lr_scale
    return model, make_optimizer("adam", lr, frozen=frozen, lr_scale=scale), frozen


def trial(method, pre, train, test, seed, steps, lr) -> float:
    k = int(train[1].max()) + 1
    model, optimizer, frozen = network(method, pre, train[0].shape[1:], k, seed, lr)
    rng = np.random.default_rng(seed + 1)
    stream = train_steps(model, train, batch_size=32, optimizer=optimizer, rng=rng, frozen=frozen)
    for _ in range(steps):
        next(stream)
    return evaluate(model, *test).accuracy


def few_shot_table(
    pre, seeds: int, steps: int, scratch_lrs: tuple[float, ...], task_filter: str = ""
) -> None:
    tasks = [
        ("starter, 3 classes, gray", starter_task(3, 1)),
        ("starter, 3 classes, RGB", starter_task(3, 3)),
        ("starter, 8 classes, gray", starter_task(8, 1)),
        ("held-back glyphs, 10 classes", glyph_task),
    ]
    print(
        "\n| task | examples per class | scratch | frozen transfer | fine-tune last conv "
        "| frozen − scratch, paired | frozen wins |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, make in tasks:
        if task_filter not in name:
            continue
        for n in SHOTS:
            scores = {m: [] for m in METHODS}
            scratch = {lr: [] for lr in scratch_lrs}
            for seed in range(seeds):
                train, test = make(np.random.default_rng(1000 + seed), n)
                for lr in scratch_lrs:
                    scratch[lr].append(trial("scratch", pre, train, test, seed, steps, lr))
                for method in METHODS[1:]:
                    scores[method].append(trial(method, pre, train, test, seed, steps, 0.01))
            best = max(scratch_lrs, key=lambda lr: np.mean(scratch[lr]))
            scores["scratch"] = scratch[best]
            cells = [f"{100 * np.mean(v):.0f} ± {100 * np.std(v):.0f} %" for v in scores.values()]
            cells[0] += f" (lr {best:g})"
            gain = 100 * (np.array(scores["frozen"]) - np.array(scores["scratch"]))
            cells.append(f"{gain.mean():+.0f} ± {gain.std():.0f}".replace("-", "−"))
            cells.append(f"{np.sum(gain > 0)} of {seeds} (ties {np.sum(gain == 0)})")
            print(f"| {name} | {n} | " + " | ".join(cells) + " |", flush=True)


def plateau_table(pre, seeds: int) -> None:
    print("\n3 classes × 10 examples, 32 × 32 RGB, 8 train + 2 held out per class, batch 24:")
    print("| network | steps/s | steps to plateau | compute to plateau | held-out plateau |")
    print("|---|---|---|---|---|")
    rows = {m: [] for m in METHODS}
    for seed in range(seeds):
        rng = np.random.default_rng(2000 + seed)
        names = tuple(str(c) for c in rng.choice(starter_set.CLASS_NAMES, 3, replace=False))
        x, y = _xy(starter_set.make_starter_set(names, 10, rng), 3)
        train_idx, _ = stratified_split(y, 2, seed)
        test = _xy(starter_set.make_starter_set(names, 30, rng), 3)  # a steadier held-out curve
        for method in METHODS:
            rows[method].append(_curve(method, pre, (x[train_idx], y[train_idx]), test, seed))
    for method, runs in rows.items():
        rate = np.mean([r[0] for r in runs])
        steps = np.mean([r[1] for r in runs])
        secs = [r[2] for r in runs]
        acc = np.mean([r[3] for r in runs])
        print(f"| {method} | {rate:.0f} | {steps:.0f} | {np.mean(secs):.2f} s (max "
              f"{np.max(secs):.2f} s) | {100 * acc:.0f} % |")  # fmt: skip


def _curve(method, pre, train, test, seed, total=300, every=5):
    """(steps/s, steps to plateau, training seconds to plateau, plateau accuracy)."""
    model, optimizer, frozen = network(method, pre, (3, 32, 32), 3, seed, 0.01)
    stream = train_steps(model, train, batch_size=24, optimizer=optimizer,
                         rng=np.random.default_rng(seed), frozen=frozen)  # fmt: skip
    seconds, curve = 0.0, []
    for step in range(1, total + 1):
        seconds += next(stream).seconds
        if step % every == 0:
            curve.append((step, seconds, evaluate(model, *test).accuracy))
    accuracy = np.array([a for _, _, a in curve])
    plateau = accuracy[-10:].mean()
    # a running mean over 5 evaluations (dropout makes single evaluations jump); the plateau
    # starts where it rises to within 2 points of the final level and stays there
    smooth = np.convolve(accuracy, np.ones(5) / 5, mode="valid")
    below = np.flatnonzero(smooth < plateau - 0.02)
    first = min(below[-1] + 1 if below.size else 0, len(smooth) - 1) + 4  # window's last point
    step, secs, _ = curve[first]
    return total / seconds, step, secs, plateau


def step_times(pre) -> None:
    rng = np.random.default_rng(0)
    x = rng.random((24, 3, 32, 32), dtype=np.float32)
    y = rng.integers(0, 3, 24)
    print("\nOne training step, batch 24 at 3 × 32 × 32 (median of 50):")
    print("| frozen layers | ms per step |")
    print("|---|---|")
    model = transfer_network(pre, (3, 32, 32), 3, rng)
    for frozen in ((), ("conv1", "conv2"), ("conv1", "conv2", "conv3")):
        print(f"| {', '.join(frozen) or 'none'} | {_step_ms(model, x, y, frozenset(frozen)):.1f} |")
    digits = TinyCNN.create(CNNConfig(), rng)  # lesson 7's default: digits 8 × 8, batch 32
    xd, yd = rng.random((32, 1, 8, 8), dtype=np.float32), rng.integers(0, 10, 32)
    shapes = TinyCNN.create(CNNConfig(input_shape=(1, 28, 28), n_classes=6), rng)
    xs, ys = rng.random((32, 1, 28, 28), dtype=np.float32), rng.integers(0, 6, 32)
    print(f"| lesson 7 default (digits 8 × 8, batch 32) | {_step_ms(digits, xd, yd):.2f} |")
    print(f"| lesson 7 shapes (28 × 28, batch 32) | {_step_ms(shapes, xs, ys):.1f} |")


def _step_ms(model, x, y, frozen=frozenset(), n=50) -> float:
    optimizer = make_optimizer("adam", 1e-3, frozen=frozen)
    times = []
    for _ in range(n + 5):
        t = time.perf_counter()
        _, grads, _ = model.step_grads(x, y, None, frozen)
        optimizer.step(model.params, grads)
        times.append(time.perf_counter() - t)
    return 1000 * float(np.median(times[5:]))


def main() -> None:
    global DROPOUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--scratch-lrs", default="0.01,0.003")
    parser.add_argument("--dropout", type=float, default=DROPOUT, help="before dense, all nets")
    parser.add_argument("--only", choices=("few-shot", "plateau", "steps"))
    parser.add_argument("--tasks", default="", help="only few-shot tasks whose name has this")
    parser.add_argument("--weights", type=Path, help="another pre-trained .npz (experiments)")
    args = parser.parse_args()
    DROPOUT = args.dropout
    runtime.limit_blas_threads(1)
    runtime.keep_freed_memory()
    pre, info = load_pretrained()
    if args.weights:
        pre = load(args.weights.read_bytes())
        info = info | {"classes": pre.config.n_classes, "test_accuracy": float("nan")}
    print(f"pre-trained: {info['classes']} glyph classes, test accuracy "
          f"{100 * info['test_accuracy']:.1f} %, filters {info['filters']}; "
          f"dropout {DROPOUT:g} before the dense layer of every network")  # fmt: skip
    if args.only in (None, "few-shot"):
        lrs = tuple(float(v) for v in args.scratch_lrs.split(","))
        few_shot_table(pre, args.seeds, args.steps, lrs, args.tasks)
    if args.only in (None, "plateau"):
        plateau_table(pre, args.seeds)
    if args.only in (None, "steps"):
        step_times(pre)


if __name__ == "__main__":
    main()
