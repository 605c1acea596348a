"""How long does each lesson-9 view compute? cnnviz.explain on the lesson-7 networks, one run.

For the default network (`CNNConfig()`) on the 8×8 digits and the same architecture on the
28×28 shapes, each trained briefly (150 Adam steps, batch 64), times what each view computes
for one test image: the receptive-field table and a unit's box, saliency (+ the page's finite
difference), occlusion with the default patch and stride, Grad-CAM, what a filter wants (all
filters of conv2 at once, default steps) and its top test examples, and the FGSM ε sweep.
Every time is the median of repeated runs (``time.perf_counter``), on one BLAS thread as the
server runs (`cnnviz.ui.page.tune_server_process` is not imported: it would load Streamlit;
the thread count is set through the environment before NumPy loads).

The budget is 150 ms for a whole view redraw (compute, figures, sending); the computation
should stay well under it: rows above `COMPUTE_TARGET_MS` are flagged.

Run from the repository root::

    .venv/bin/python benchmarks/explain_speed.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

import numpy as np  # noqa: E402

from cnnviz.data.datasets import digits_dataset, shapes_dataset  # noqa: E402
from cnnviz.explain.fgsm import fgsm_sweep  # noqa: E402
from cnnviz.explain.filter_wants import filter_wants, top_examples  # noqa: E402
from cnnviz.explain.gradcam import grad_cam  # noqa: E402
from cnnviz.explain.occlusion import default_patch, occlusion  # noqa: E402
from cnnviz.explain.receptive_field import field_table, input_box  # noqa: E402
from cnnviz.explain.saliency import finite_difference, saliency  # noqa: E402
from cnnviz.nn import Adam, CNNConfig, TinyCNN, evaluate, train_steps  # noqa: E402

VIEW_BUDGET_MS = 150
COMPUTE_TARGET_MS = 50
TRAIN_STEPS = 150


def median_ms(
    function: Callable[[], object], min_total_s: float = 0.5, max_runs: int = 31
) -> float:
    """Median of at least 5 runs (more for fast functions, up to `max_runs`), in ms."""
    times: list[float] = []
    while len(times) < 5 or (sum(times) < min_total_s and len(times) < max_runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def trained(data, rng: np.random.Generator) -> TinyCNN:
    config = CNNConfig(input_shape=data.input_shape, n_classes=len(data.class_names))
    model = TinyCNN.create(config, rng)
    steps = train_steps(model, data, batch_size=64, optimizer=Adam(1e-3), rng=rng)
    for _, _ in zip(range(TRAIN_STEPS), steps, strict=False):
        pass
    return model


def views(model: TinyCNN, data) -> dict[str, Callable[[], object]]:
    """The computation behind each view, for test image 0 and its true class."""
    x, label = data.x_test[0], int(data.y_test[0])
    H = model.config.input_shape[1]
    patch, stride = default_patch(H)
    last = f"pool{model.config.n_blocks}"
    return {
        "receptive field (table + box)": lambda: (
            field_table(model.config),
            input_box(model.config, last, 0, 0),
        ),
        "saliency": lambda: saliency(model, x, label),
        "saliency + finite difference": lambda: (
            saliency(model, x, label),
            finite_difference(model, x, label, (H // 2, H // 2)),
        ),
        f"occlusion (patch {patch}, stride {stride})": lambda: occlusion(
            model, x, label, patch, stride
        ),
        "Grad-CAM (bilinear)": lambda: grad_cam(model, x, label),
        "filter wants (all conv2 filters, 40 steps)": lambda: filter_wants(
            model, "conv2", range(model.config.filters[1])
        ),
        "filter wants (one filter, 40 steps)": lambda: filter_wants(model, "conv2", 0),
        f"top examples (conv2 filter 0, {len(data.x_test)} test images)": lambda: top_examples(
            model, data.x_test, "conv2", 0
        ),
        "FGSM sweep (50 ε values)": lambda: fgsm_sweep(model, x, label),
    }


def report(name: str, data, rng: np.random.Generator) -> list[str]:
    untrained = TinyCNN.create(
        CNNConfig(input_shape=data.input_shape, n_classes=len(data.class_names)), rng
    )
    model = trained(data, rng)
    accuracy = evaluate(model, data.x_test, data.y_test).accuracy
    print(
        f"\n{name}: {data.input_shape}, default CNNConfig, {TRAIN_STEPS} Adam steps → "
        f"test accuracy {accuracy:.1%}"
    )
    print(f"{'view computation':<52} {'random ms':>10} {'trained ms':>11}")
    slow = []
    for (label, run_random), run_trained in zip(
        views(untrained, data).items(), views(model, data).values(), strict=True
    ):
        t_random, t_trained = median_ms(run_random), median_ms(run_trained)
        worst = max(t_random, t_trained)
        flag = (
            "  > 150 ms budget"
            if worst > VIEW_BUDGET_MS
            else ("  > 50 ms target" if worst > COMPUTE_TARGET_MS else "")
        )
        print(f"{label:<52} {t_random:>10.2f} {t_trained:>11.2f}{flag}")
        if flag:
            slow.append(f"{name}: {label} ({worst:.1f} ms)")
    return slow


def main() -> None:
    print(f"NumPy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print("times: median of ≥ 5 runs, ms, one test image (its true class)")
    rng = np.random.default_rng(0)
    slow = report("digits 8×8", digits_dataset(), rng)
    slow += report("shapes 28×28", shapes_dataset(1200, 300, np.random.default_rng(1)), rng)
    print()
    if slow:
        print(f"over the {COMPUTE_TARGET_MS} ms compute target:")
        for line in slow:
            print("  " + line)
    else:
        print(f"every view computes in ≤ {COMPUTE_TARGET_MS} ms (view budget {VIEW_BUDGET_MS} ms)")


if __name__ == "__main__":
    main()
