"""Server-side rerun time of lessons 2, 3 and 8, one widget change at a time (AppTest).

For every control of a page's default view, the script flips the control between two values
and times the rerun each change causes (``AppTest.run`` after setting the widget: the whole
script, as the server runs it, without a browser). It prints the median and the slowest of the
runs per control and checks the medians against the design budget of 50 ms.

AppTest adds its own overhead (it parses every element the page sends), so these numbers are an
upper bound on the server's own work. Run from the repository root::

    .venv/bin/python benchmarks/rerun_time.py            # every lesson, 9 changes per control
    .venv/bin/python benchmarks/rerun_time.py --runs 15 --page 8
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

BUDGET_MS = 50.0


@dataclass(frozen=True)
class Control:
    """One widget change: ``set(at, value)`` applies one of two values, alternating."""

    name: str
    values: tuple
    set: Callable[[AppTest, object], None]


def _widget(kind: str, key: str) -> Callable[[AppTest, object], None]:
    return lambda at, value: getattr(at, kind)(key=key).set_value(value)


def _click_either(prefix: str) -> Callable[[AppTest, object], None]:
    """Click button ``{prefix}_{value}`` (e.g. next, then back)."""
    return lambda at, value: at.button(key=f"{prefix}_{value}").click()


NO_CHANGE = Control("(nothing changed)", (None,), lambda at, _: None)
"""A plain rerun: the page's floor, to read the other rows against (the machine is noisy)."""

CONVOLUTION = (
    NO_CHANGE,
    Control("Next / back step", ("next", "back"), _click_either("conv_player_step")),
    Control("Step slider", (3, 7), _widget("slider", "conv_player_scrub")),
    Control("Stride", (2, 1), _widget("slider", "conv_stride")),
    Control("Padding", ("1", "0"), _widget("selectbox", "conv_pad")),
    Control("Dilation", (2, 1), _widget("slider", "conv_dilation")),
    Control("Bias", (1.0, 0.0), _widget("number_input", "conv_bias")),
    Control(
        "Correlation/convolution", ("convolution", "correlation"), _widget("radio", "conv_flip")
    ),
    Control("Kernel preset", ("sharpen", "example"), _widget("selectbox", "conv_kernel_preset")),
    Control("Filters F", (4, 10), _widget("slider", "conv_filters")),
)

PLAYGROUND = (
    NO_CHANGE,
    Control(
        "Preset", ("box_blur", "sobel_vertical_edges"), _widget("selectbox", "play_kernel_preset")
    ),
    Control("Mode", ("per_channel", "gray"), _widget("radio", "play_mode")),
    Control("Inspected row", (10, 120), _widget("slider", "play_row")),
    Control("Inspected column", (10, 200), _widget("slider", "play_col")),
    Control("Download view", ("normalised", "clipped"), _widget("selectbox", "play_download_view")),
    Control("Sample image", ("coffee", "chelsea"), _widget("selectbox", "play_image")),
)

OWN_CLASSES = (
    NO_CHANGE,
    Control("Example number", (2, 1), _widget("number_input", "own_ex_index")),
    Control("Example class", (1, 0), _widget("selectbox", "own_ex_class")),
    Control("Dropout (continues)", ("0.25", "0.5"), _widget("select_slider", "own_dropout")),
    Control("Learning rate (continues)", ("0.003", "0.01"), _widget("select_slider", "own_lr")),
    Control("Held out (new data)", (3, 2), _widget("slider", "own_held")),
    Control("Augmented copies (new data)", ("2", "0"), _widget("select_slider", "own_copies")),
    Control("Colour (new data)", ("gray", "rgb"), _widget("radio", "own_channels")),
)

PAGES = {
    "pages/2_Convolution.py": CONVOLUTION,
    "pages/3_Filter_Playground.py": PLAYGROUND,
    "pages/8_Your_Own_Classes.py": OWN_CLASSES,
}


def fresh(script: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(script)
    at.run()
    if at.exception:
        raise SystemExit(f"{script} raised: {[e.value for e in at.exception]}")
    return at


def time_control(script: str, control: Control, runs: int) -> list[float]:
    """Milliseconds of `runs` reruns, each after one change of `control`."""
    at = fresh(script)
    at.run()  # the caches are warm for the default view, as for a second visitor
    times = []
    for i in range(runs):
        control.set(at, control.values[i % len(control.values)])
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise SystemExit(f"{control.name} raised: {[e.value for e in at.exception]}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="changes timed per control")
    parser.add_argument("--page", help="only the lesson whose page file starts with this")
    args = parser.parse_args()
    over = []
    for script, controls in PAGES.items():
        if args.page and not Path(script).name.startswith(args.page):
            continue
        print(f"\n{script}  (median and slowest of {args.runs} reruns, ms)")
        for control in controls:
            times = time_control(script, control, args.runs)
            median = statistics.median(times)
            flag = "" if median <= BUDGET_MS else f"   over the {BUDGET_MS:.0f} ms budget"
            print(f"  {control.name:<26} {median:7.1f} {max(times):7.1f}{flag}")
            if flag:
                over.append(f"{script}: {control.name}")
    print(f"\nmedian within {BUDGET_MS:.0f} ms: {'all' if not over else 'not ' + ', '.join(over)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
