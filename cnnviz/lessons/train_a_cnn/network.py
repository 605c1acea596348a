"""What the chosen settings build: the update rule that runs and the layer table.

The rule is written from the optimiser object Play and Step really use (its constants
substituted), and the table from `cnnviz.nn.layer_table` of the model's own configuration.
"""

from __future__ import annotations

import math

import streamlit as st

from cnnviz import nn
from cnnviz.lessons.train_a_cnn.settings import OPTIMIZERS
from cnnviz.nn.optim import SGD, Adam, Momentum, Optimizer


def update_rule(optimizer: Optimizer) -> None:
    """The update rule of the optimiser that Play and Step really run, with its constants."""
    name = OPTIMIZERS[optimizer.name]
    st.markdown(f"**The update rule that runs: {name}**, learning rate η = {optimizer.lr:g}.")
    st.latex(optimizer_latex(optimizer))
    st.caption(OPTIMIZER_WORDS[optimizer.name])
    if optimizer.name == "adam":
        st.caption("t is the number of steps taken so far (1 on the first step).")


OPTIMIZER_WORDS = {
    "sgd": "Plain SGD (stochastic gradient descent): every weight moves against its gradient, "
    "η times the gradient. This is the rule w ← w − η · dL/dw from the introduction.",
    "momentum": "Momentum: the step v remembers 0.9 of the previous step and adds −η times this "
    "gradient, so steps keep going in directions the gradient keeps pointing to. Plain SGD "
    "(w ← w − η · dL/dw) is the special case μ = 0.",
    "adam": "Adam: m and v are running means of the gradient and of its square; m̂ and v̂ correct "
    "their start at 0; dividing by √v̂ makes every weight move about η per step, whatever the "
    "size of its gradient. This is not plain SGD's w ← w − η · dL/dw.",
}
GRAD = r"\frac{\partial L}{\partial w}"


def optimizer_latex(optimizer: Optimizer) -> str:
    """LaTeX of `optimizer`'s rule, one line per assignment, its own constants substituted.

    The same rules as `cnnviz.nn.optim` (the optimiser's ``_update``), for one weight w.
    """
    lr = f"{optimizer.lr:g}"
    # Constants go on short lines of their own: beside the rule they cut it off on a phone.
    if isinstance(optimizer, Momentum):
        lines = [
            rf"v &\leftarrow \mu\, v - \eta\,{GRAD}",
            r"w &\leftarrow w + v",
            rf"&\mu = {optimizer.momentum:g},\ \eta = {lr}",
        ]
    elif isinstance(optimizer, Adam):
        lines = [
            rf"m &\leftarrow \beta_1 m + (1 - \beta_1)\,{GRAD}",
            rf"v &\leftarrow \beta_2 v + (1 - \beta_2)\left({GRAD}\right)^2",
            r"\hat m &= \frac{m}{1 - \beta_1^{\,t}}, \quad \hat v = \frac{v}{1 - \beta_2^{\,t}}",
            r"w &\leftarrow w - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}",
            rf"&\beta_1 = {optimizer.beta1:g},\ \beta_2 = {optimizer.beta2:g}",
            rf"&\eta = {lr},\ \epsilon = 10^{{{round(math.log10(optimizer.eps))}}}",
        ]
    elif isinstance(optimizer, SGD):
        lines = [rf"w &\leftarrow w - \eta\,{GRAD}", rf"&\eta = {lr}"]
    else:
        raise ValueError(f"no rule to show for optimiser {optimizer.name!r}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def architecture_table(config: nn.CNNConfig) -> None:
    """The layers with output shapes and parameter counts, and an MLP of the same width."""
    rows = nn.layer_table(config)
    lines = ["| # | layer | output shape | parameters |", "|---:|---|---|---:|"]
    for row in rows:
        shape = " × ".join(str(n) for n in row["output_shape"])
        lines.append(f"| {row['index']} | {row['description']} | {shape} | {row['params']:,} |")
    mlp = nn.mlp_comparison(config)
    total = sum(row["params"] for row in rows)
    lines.append(f"| | **total** | | **{total:,}** |")
    st.markdown("\n".join(lines))
    widths = " → ".join(f"{w:,}" for w in mlp["widths"])
    st.markdown(
        f"A fully connected network with as many neurons per layer ({widths}) would need "
        f"**{mlp['params']:,}** weights and biases — **{mlp['params'] / total:,.0f}×** as many "
        f"as this CNN's {total:,}. Convolution shares each small kernel across every position."
    )
