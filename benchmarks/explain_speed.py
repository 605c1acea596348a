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

``--redraw`` times each view's whole server-side redraw instead: lesson 9's page run by
Streamlit's AppTest (as `benchmarks/rerun_time.py` does for lessons 2 and 3), once for
switching to the view from another one (the view computes and draws everything) and once for a
change of the view's own first control, for the default (shipped) network and for a learner's
lesson-7 network on the 28×28 shapes. The first visit of each view (cold caches: a filter's
ascent and top examples, the FGSM survey) is shown apart. AppTest parses every element the page
sends, so these are an upper bound of the server's own work.

Run from the repository root::

    .venv/bin/python benchmarks/explain_speed.py
    .venv/bin/python benchmarks/explain_speed.py --redraw [--runs 9]
"""

from __future__ import annotations

import argparse
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


PAGE = "pages/9_What_It_Looks_At.py"
CONTROLS = {
    "field": ("slider", "look_unit_row", (0, 1)),
    "saliency": ("slider", "look_pixel_row", (2, 3)),
    "occlusion": ("slider", "look_patch", (3, 2)),
    "gradcam": ("radio", "look_interp", ("nearest", "bilinear")),
    "filter": ("slider", "look_filter", (1, 0)),
    "fool": ("slider", "look_eps", (0.2, 0.1)),
}
"""Each view's first control: (widget kind, key, two values to alternate)."""


def _timed_run(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = 1000 * (time.perf_counter() - start)
    if at.exception:
        raise SystemExit(f"the page raised: {[e.value for e in at.exception]}")
    return elapsed


def redraw_report(name: str, runs: int, run=None) -> list[str]:
    """Median ms of each view's redraw: switched to, and after its first control changed."""
    from streamlit.testing.v1 import AppTest

    from cnnviz.lessons.train_a_cnn import RUN_KEY

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.switch_page(PAGE)
    if run is not None:
        at.session_state[RUN_KEY] = run
    _timed_run(at)
    first = {}
    for view in CONTROLS:  # first visits: cold caches
        at.segmented_control(key="look_view").set_value(view)
        first[view] = _timed_run(at)
    switched = {view: [] for view in CONTROLS}
    changed = {view: [] for view in CONTROLS}
    for i in range(runs):
        for view, (kind, key, values) in CONTROLS.items():
            at.segmented_control(key="look_view").set_value(view)
            switched[view].append(_timed_run(at))
            getattr(at, kind)(key=key).set_value(values[i % 2])
            changed[view].append(_timed_run(at))
    print(f"\n{name}: median of {runs} redraws, ms (budget {VIEW_BUDGET_MS} ms)")
    print(f"{'view':<10} {'first visit':>12} {'switched to':>12} {'control changed':>16}")
    over = []
    for view in CONTROLS:
        a, b = statistics.median(switched[view]), statistics.median(changed[view])
        flag = "  > budget" if max(a, b) > VIEW_BUDGET_MS else ""
        print(f"{view:<10} {first[view]:>12.1f} {a:>12.1f} {b:>16.1f}{flag}")
        if flag:
            over.append(f"{name}: {view} ({max(a, b):.0f} ms)")
    return over


def redraw_main(runs: int) -> None:
    from cnnviz.lessons.train_a_cnn.run import dataset
    from cnnviz.nn.session import RunSettings, TrainingRun

    print(f"NumPy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    over = redraw_report("shipped digits network (8×8)", runs)
    run = TrainingRun.start(RunSettings(dataset="shapes"), dataset("shapes"))
    run.train(max_steps=TRAIN_STEPS)
    over += redraw_report(f"a lesson-7 network on the shapes (28×28, {run.step} steps)", runs, run)
    print()
    print("over budget: " + "; ".join(over) if over else f"every view ≤ {VIEW_BUDGET_MS} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redraw", action="store_true", help="time whole page redraws")
    parser.add_argument("--runs", type=int, default=9, help="redraws timed per view")
    args = parser.parse_args()
    if args.redraw:
        redraw_main(args.runs)
        return
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
