"""Training as a generator of per-step statistics, and evaluation on a test split.

`train_steps` never calls Streamlit, changes no process-wide setting (BLAS threads and malloc
are tuned once when the server starts, see `cnnviz.nn.runtime`) and never stops on its own: a
page pulls steps from it for a fixed budget, redraws, and pulls more on the next tick. Inputs
are (N, C, H, W) float32.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from cnnviz.nn.layers import softmax, softmax_cross_entropy
from cnnviz.nn.model import TinyCNN, check_frozen
from cnnviz.nn.optim import Optimizer

Augment = Callable[[np.ndarray, np.random.Generator], np.ndarray]


@dataclass(frozen=True)
class StepStats:
    """What one training step did.

    step : 1 for the first step of this generator, then 2, 3, …
    epoch : 0-based index of the pass over the training set this step belongs to
    loss : mean cross-entropy of the batch (nan or inf when training has diverged)
    accuracy : fraction of the batch classified correctly, before the update
    images_seen : training images used so far, counting this batch
    batch_size : images in this batch (the last batch of an epoch may be smaller)
    seconds : compute time of this step (forward, backward, update)
    diverged : True when the loss is not finite or above `diverged_loss` (20 × ln K, about
        46 for 10 classes; an untrained network starts near ln K). A non-finite loss also skips
        the update, so the weights keep their last finite values until the caller resets
    """

    step: int
    epoch: int
    loss: float
    accuracy: float
    images_seen: int
    batch_size: int
    seconds: float
    diverged: bool = False


def diverged_loss(n_classes: int) -> float:
    """Loss above which training counts as diverged: 20 × ln(n_classes).

    Guessing uniformly costs ln K; a loss twenty times higher means confident, wrong answers
    that training does not recover from, typically a learning rate that is far too high.
    """
    return 20 * math.log(n_classes)


def _split(data) -> tuple[np.ndarray, np.ndarray]:
    if hasattr(data, "x_train"):
        return data.x_train, data.y_train
    x, y = data
    return x, y


def train_steps(
    model: TinyCNN,
    data,
    *,
    batch_size: int,
    optimizer: Optimizer,
    rng: np.random.Generator,
    augment: Augment | None = None,
    frozen: frozenset[str] = frozenset(),
) -> Iterator[StepStats]:
    """Train `model` in place with mini-batch gradient descent, yielding stats after each step.

    Runs forever (the caller stops pulling); each epoch visits the training images in a new
    random order drawn from `rng`, which also draws dropout masks and augmentations.

    Parameters
    ----------
    model : TinyCNN, updated in place
    data : an object with ``x_train``, ``y_train`` (e.g. `cnnviz.data.datasets.Dataset`) or a
        pair (x (N, C, H, W), y (N,) int)
    batch_size : images per step, >= 1
    optimizer : its `last_grads` / `last_update` hold the last step's gradients and changes
    rng : np.random.Generator
    augment : optional ``f(x_batch, rng) -> x_batch``, e.g. `cnnviz.data.augment.random_shift`
    frozen : layer names ("conv1", …, "dense") that get no gradient and no update (the
        optimiser's own `frozen` set is honoured too); the backward pass stops early for them
    """
    x, y = _split(data)
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y).astype(np.intp)
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(f"need as many labels as images (and at least one): {len(x)}, {len(y)}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
    frozen = check_frozen(model.config, frozenset(frozen) | optimizer.frozen)
    limit = diverged_loss(model.config.n_classes)
    step, seen, epoch = 0, 0, 0
    while True:
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            t0 = time.perf_counter()
            idx = order[start : start + batch_size]
            xb, yb = x[idx], y[idx]
            if augment is not None:
                xb = augment(xb, rng)
            with np.errstate(all="ignore"):  # divergence is reported, not raised
                loss, grads, logits = model.step_grads(xb, yb, rng, frozen)
                finite = math.isfinite(loss)
                if finite:
                    optimizer.step(model.params, grads)
                accuracy = float(np.mean(logits.argmax(axis=1) == yb))
            step += 1
            seen += len(idx)
            seconds = time.perf_counter() - t0
            diverged = not finite or loss > limit
            yield StepStats(step, epoch, loss, accuracy, seen, len(idx), seconds, diverged)
        epoch += 1


@dataclass(frozen=True)
class Evaluation:
    """Results on a labelled set.

    accuracy : float, fraction correct
    loss : float, mean cross-entropy (nan/inf if the model has diverged)
    confusion : (K, K) int, confusion[true, predicted] counts
    predictions : (N,) int
    probabilities : (N, K) float32 softmax outputs
    """

    accuracy: float
    loss: float
    confusion: np.ndarray
    predictions: np.ndarray
    probabilities: np.ndarray

    @property
    def per_class_accuracy(self) -> np.ndarray:
        """(K,) float: the fraction of each class's examples classified correctly (its recall,
        ``confusion[k, k] / confusion[k].sum()``); nan for a class with no examples here."""
        counts = self.confusion.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.diagonal(self.confusion) / counts.astype(np.float64)

    @property
    def per_class_count(self) -> np.ndarray:
        """(K,) int: examples of each class in the evaluated set."""
        return self.confusion.sum(axis=1)


def stratified_split(
    labels: np.ndarray, held: int | float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hold out examples of every class, the same ones for the same `seed`.

    Parameters
    ----------
    labels : (N,) int class of each example
    held : a whole number = examples held out per class, or a fraction in (0, 1) of each
        class (rounded, at least 1). Either way every class keeps at least one training
        example, so a class with a single example holds none back.
    seed : int, decides which examples are held out

    Returns
    -------
    train, held_out : sorted int index arrays into `labels`, disjoint, together all of 0..N-1
    """
    labels = np.asarray(labels)
    is_count = isinstance(held, (int, np.integer)) and not isinstance(held, bool)
    if labels.ndim != 1 or not (
        (is_count and held >= 0) or (isinstance(held, float) and 0 < held < 1)
    ):
        raise ValueError(
            f"need (N,) labels and a count >= 0 or fraction in (0, 1), got {labels.shape}, {held!r}"
        )
    rng = np.random.default_rng(seed)
    out = []
    for k in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == k))
        n = int(held) if is_count else max(1, round(held * len(members)))
        out.append(members[: min(n, len(members) - 1)])
    held_out = np.sort(np.concatenate(out)) if out else np.zeros(0, np.intp)
    train = np.setdiff1d(np.arange(len(labels)), held_out)
    return train.astype(np.intp), held_out.astype(np.intp)


def evaluate(model: TinyCNN, x: np.ndarray, y: np.ndarray, batch_size: int = 1024) -> Evaluation:
    """Accuracy, loss and confusion matrix of `model` on x (N, C, H, W), y (N,) int, N >= 1."""
    y = np.asarray(y).astype(np.intp)
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(f"need as many labels as images (and at least one): {len(x)}, {len(y)}")
    K = model.config.n_classes
    with np.errstate(all="ignore"):
        logits = np.concatenate(
            [model.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        )
        loss, _ = softmax_cross_entropy(logits, y)
        probs = softmax(logits)
    predictions = logits.argmax(axis=1)
    confusion = np.zeros((K, K), dtype=np.int64)
    np.add.at(confusion, (y, predictions), 1)
    accuracy = float(np.mean(predictions == y))
    return Evaluation(accuracy, loss, confusion, predictions, probs.astype(np.float32))


@dataclass(frozen=True)
class FilterStep:
    """One filter's last update, for "look inside one step".

    grad : (C, KH, KW) dL/dw of the filter in the last step
    update : (C, KH, KW) the change made, ``w_after - w_before`` (``-lr * grad`` for SGD)
    w_before, w_after : (C, KH, KW)
    bias_grad, bias_before, bias_after : float
    lr : float
    optimizer : "sgd", "momentum" or "adam"
    """

    grad: np.ndarray
    update: np.ndarray
    w_before: np.ndarray
    w_after: np.ndarray
    bias_grad: float
    bias_before: float
    bias_after: float
    lr: float
    optimizer: str


def filter_step(model: TinyCNN, optimizer: Optimizer, layer: str, index: int) -> FilterStep:
    """The last step's gradient and update of filter `index` of conv layer `layer` ("conv1"…).

    Raises ValueError before any step was taken or for an unknown layer/filter.
    """
    w_name, b_name = f"{layer}.w", f"{layer}.b"
    if w_name not in model.params or not layer.startswith("conv"):
        raise ValueError(f"no conv layer named {layer!r}")
    if not 0 <= index < model.params[w_name].shape[0]:
        raise ValueError(f"{layer} has {model.params[w_name].shape[0]} filters, not {index + 1}")
    if layer in optimizer.frozen or (optimizer.t and w_name not in optimizer.last_update):
        raise ValueError(f"{layer} is frozen: training does not change it")
    if w_name not in optimizer.last_update:
        raise ValueError("no training step has been taken yet")
    w_after = model.params[w_name][index].copy()
    update = optimizer.last_update[w_name][index].copy()
    b_after = float(model.params[b_name][index])
    b_update = float(optimizer.last_update[b_name][index])
    return FilterStep(
        grad=optimizer.last_grads[w_name][index].copy(),
        update=update,
        w_before=w_after - update,
        w_after=w_after,
        bias_grad=float(optimizer.last_grads[b_name][index]),
        bias_before=b_after - b_update,
        bias_after=b_after,
        lr=optimizer.lr,
        optimizer=optimizer.name,
    )
