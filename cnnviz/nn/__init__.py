"""A tiny CNN in pure NumPy: layers with hand-written backprop, a model, optimisers, training.

Layout: (N, C, H, W) float32 everywhere in this package. Nothing here imports Streamlit.

- `layers`: forward/backward pairs (conv via im2col, ReLU, flatten, dense, dropout, softmax
  cross-entropy) and a loop reference convolution; `pooling`: max/avg pool
- `model`: `CNNConfig`, `TinyCNN`
- `optim`: `SGD`, `Momentum`, `Adam`, `make_optimizer`
- `train`: `train_steps` (a generator of `StepStats`), `evaluate`, `filter_step`
- `serialize`: `save` / `load` to `.npz` bytes, `ModelFileError`
- `transfer`: copy pre-trained conv layers into a new network, freezing plans, counts
- `session`: `RunSettings` and `TrainingRun` (a run's history, reset-or-continue, divergence)
- `gradcheck`: numerical gradients for the tests
- `runtime`: one BLAS thread and kept memory, applied once when the server starts

Data sets come in as arrays (`cnnviz.data.datasets` builds them); nothing here imports
`cnnviz.data`.
"""

from cnnviz.nn import transfer
from cnnviz.nn.model import CNNConfig, TinyCNN, layer_names, layer_table, mlp_comparison
from cnnviz.nn.optim import SGD, Adam, Momentum, make_optimizer
from cnnviz.nn.serialize import ModelFileError, load, load_named, save
from cnnviz.nn.session import RunSettings, TrainingRun
from cnnviz.nn.train import (
    Evaluation,
    FilterStep,
    StepStats,
    evaluate,
    filter_step,
    stratified_split,
    train_steps,
)

__all__ = [
    "SGD",
    "Adam",
    "CNNConfig",
    "Evaluation",
    "FilterStep",
    "ModelFileError",
    "Momentum",
    "RunSettings",
    "StepStats",
    "TinyCNN",
    "TrainingRun",
    "evaluate",
    "filter_step",
    "layer_names",
    "layer_table",
    "load",
    "load_named",
    "make_optimizer",
    "mlp_comparison",
    "save",
    "stratified_split",
    "train_steps",
    "transfer",
]
