"""TinyCNN: CONV → ReLU → POOL, repeated, then flatten → (dropout) → dense → softmax.

Layout: inputs are (N, C, H, W) float32 (a digits batch is (N, 1, 8, 8)); parameters are float32
in a dict keyed ``conv1.w``, ``conv1.b``, …, ``dense.w``, ``dense.b``. Every convolution uses
"same" padding (``pad = (k - 1) // 2``, stride 1) so only the 2×2 max/avg pools shrink the maps:
8×8 → 4×4 → 2×2 with the default two blocks. "Convolution" is cross-correlation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from cnnviz.nn import layers as L
from cnnviz.nn import pooling as P
from cnnviz.ops.shapes import layer_table as _ops_layer_table

POOL_SIZE = 2
MAX_BLOCKS = 4
MAX_FILTERS = 128
KERNEL_SIZES = (1, 3, 5, 7)


@dataclass(frozen=True)
class CNNConfig:
    """Architecture of a `TinyCNN`.

    Attributes
    ----------
    input_shape : (C, H, W) of one input image
    filters : filters of each conv block; its length is the number of blocks
    kernel_size : odd side of every conv kernel (odd so "same" padding is symmetric)
    pool : "max" or "avg", the 2×2 pooling of every block
    dropout : probability of dropping each flattened feature in training, 0 = off
    n_classes : number of outputs of the dense layer
    """

    input_shape: tuple[int, int, int] = (1, 8, 8)
    filters: tuple[int, ...] = (8, 16)
    kernel_size: int = 3
    pool: str = "max"
    dropout: float = 0.0
    n_classes: int = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "input_shape", tuple(int(n) for n in self.input_shape))
        object.__setattr__(self, "filters", tuple(int(f) for f in self.filters))
        _validate(self)

    @property
    def n_blocks(self) -> int:
        """Number of CONV → ReLU → POOL blocks."""
        return len(self.filters)

    @property
    def pad(self) -> int:
        """Zeros on each side that keep a conv's output the size of its input."""
        return (self.kernel_size - 1) // 2

    def block_shapes(self) -> list[tuple[int, int, int]]:
        """(C, H, W) after each block's pooling, first block first."""
        _, H, W = self.input_shape
        shapes = []
        for F in self.filters:
            H, W = H // POOL_SIZE, W // POOL_SIZE
            shapes.append((F, H, W))
        return shapes

    def flat_size(self) -> int:
        """Length of the flattened features fed to the dense layer."""
        return math.prod(self.block_shapes()[-1])


def _validate(config: CNNConfig) -> None:
    C, H, W = config.input_shape if len(config.input_shape) == 3 else (0, 0, 0)
    if len(config.input_shape) != 3 or min(config.input_shape) < 1:
        raise ValueError(
            f"input_shape must be (C, H, W) of positive sizes, got {config.input_shape}"
        )
    if not 1 <= config.n_blocks <= MAX_BLOCKS:
        raise ValueError(f"use 1 to {MAX_BLOCKS} conv blocks, got {config.n_blocks}")
    if not all(1 <= F <= MAX_FILTERS for F in config.filters):
        raise ValueError(f"filters per block must be 1..{MAX_FILTERS}, got {config.filters}")
    if config.kernel_size not in KERNEL_SIZES:
        raise ValueError(f"kernel_size must be one of {KERNEL_SIZES}, got {config.kernel_size}")
    if config.pool not in P.POOL_MODES:
        raise ValueError(f"pool must be 'max' or 'avg', got {config.pool!r}")
    if not 0 <= config.dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {config.dropout}")
    if not 2 <= config.n_classes <= 1000:
        raise ValueError(f"n_classes must be 2..1000, got {config.n_classes}")
    smallest = POOL_SIZE**config.n_blocks
    if min(H, W) < smallest or H * W > 256 * 256 or C > 4:
        raise ValueError(
            f"{config.n_blocks} blocks halve a {H}×{W} input {config.n_blocks} times: the input "
            f"must be at least {smallest}×{smallest} (and at most 256×256 with ≤ 4 channels); "
            "use fewer blocks or a larger image"
        )


def param_shapes(config: CNNConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter: conv w (F, C, k, k), b (F,); dense w (D, K), b (K,)."""
    shapes: dict[str, tuple[int, ...]] = {}
    C, k = config.input_shape[0], config.kernel_size
    for i, F in enumerate(config.filters, start=1):
        shapes[f"conv{i}.w"] = (F, C, k, k)
        shapes[f"conv{i}.b"] = (F,)
        C = F
    shapes["dense.w"] = (config.flat_size(), config.n_classes)
    shapes["dense.b"] = (config.n_classes,)
    return shapes


@dataclass
class TinyCNN:
    """A small convolutional network with explicit parameters and hand-written backprop.

    Build with ``TinyCNN.create(config, rng)``; `params` maps names to float32 arrays that
    optimisers update in place.
    """

    config: CNNConfig
    params: dict[str, np.ndarray] = field(repr=False)

    @classmethod
    def create(cls, config: CNNConfig | None, rng: np.random.Generator) -> TinyCNN:
        """He initialisation: w ~ Normal(0, sqrt(2 / fan_in)), biases 0, drawn from `rng`."""
        config = CNNConfig() if config is None else config
        params = {}
        for name, shape in param_shapes(config).items():
            if name.endswith(".b"):
                params[name] = np.zeros(shape, dtype=np.float32)
            else:
                fan_in = math.prod(shape[1:]) if name.startswith("conv") else shape[0]
                std = math.sqrt(2.0 / fan_in)
                params[name] = (rng.standard_normal(shape) * std).astype(np.float32)
        return cls(config, params)

    # --- forward and backward -----------------------------------------------------------------

    def forward(
        self,
        x: np.ndarray,
        training: bool = False,
        rng: np.random.Generator | None = None,
        return_activations: bool = False,
    ):
        """Scores for a batch.

        Parameters
        ----------
        x : (N, C, H, W) matching ``config.input_shape``; cast to the parameters' float32
        training : dropout is active only in training (and then needs `rng`)
        rng : np.random.Generator for the dropout masks
        return_activations : also return every intermediate array

        Returns
        -------
        logits : (N, n_classes) float32
        activations : only if `return_activations`: list of (name, array) in order —
            "input", "conv1", "relu1", "pool1", …, "flatten", "dense" (the logits) and
            "softmax" (probabilities); 4-D arrays are (N, C, H, W)
        """
        logits, _, acts = self._forward(x, training, rng, keep=return_activations)
        if return_activations:
            acts.append(("softmax", L.softmax(logits)))
            return logits, acts
        return logits

    def _forward(self, x, training, rng, keep):
        x = self._check_input(x)
        caches, acts = [], [("input", x)] if keep else []
        p, pad, pool = self.params, self.config.pad, self.config.pool
        h = x
        for i in range(1, self.config.n_blocks + 1):
            z, c_conv = L.conv_forward(h, p[f"conv{i}.w"], p[f"conv{i}.b"], 1, pad)
            if pool == "max" and not keep:
                # max-pool(ReLU(z)) == ReLU(max-pool(z)), values and gradients alike (both are
                # monotone; a window whose max is <= 0 passes no gradient either way), and
                # pooling first leaves the ReLU a quarter of the values. The order shown in
                # the activations below is the textbook one.
                q, c_pool = P.pool_forward(z, POOL_SIZE, POOL_SIZE, pool)
                h, c_relu = L.relu_forward(q)
                caches.append((c_conv, c_relu, c_pool, True))
                continue
            a, c_relu = L.relu_forward(z)
            h, c_pool = P.pool_forward(a, POOL_SIZE, POOL_SIZE, pool)
            caches.append((c_conv, c_relu, c_pool, False))
            if keep:
                acts += [(f"conv{i}", z), (f"relu{i}", a), (f"pool{i}", h)]
        h, c_flat = L.flatten_forward(h)
        if keep:
            acts.append(("flatten", h))
        h, c_drop = L.dropout_forward(h, self.config.dropout, rng, training)
        logits, c_dense = L.dense_forward(h, p["dense.w"], p["dense.b"])
        if keep:
            acts.append(("dense", logits))
        return logits, (caches, c_flat, c_drop, c_dense), acts

    def loss_and_grads(
        self,
        x: np.ndarray,
        y: np.ndarray,
        rng: np.random.Generator | None = None,
        frozen: frozenset[str] = frozenset(),
    ) -> tuple[float, dict[str, np.ndarray]]:
        """Mean softmax cross-entropy of a batch and its gradient for every trained parameter.

        x : (N, C, H, W)   y : (N,) int labels. Dropout is on (training mode) when the config
        has dropout > 0, drawing masks from `rng`. frozen : layer names ("conv1", …, "dense")
        that get no gradient (see `step_grads`). Returns (loss, grads) with grads keyed like
        `params`, without the frozen layers' entries.
        """
        loss, grads, _ = self.step_grads(x, y, rng, frozen)
        return loss, grads

    def step_grads(
        self, x, y, rng=None, frozen: frozenset[str] = frozenset()
    ) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
        """Like `loss_and_grads`, also returning the logits (N, n_classes) of the batch.

        Frozen layers get no gradient, and the backward pass stops at the lowest trained conv
        layer: with every conv layer frozen, only the dense layer's gradient is computed.
        """
        frozen = check_frozen(self.config, frozen)
        logits, (caches, c_flat, c_drop, c_dense), _ = self._forward(x, True, rng, keep=False)
        y = np.asarray(y)
        loss, dlogits = L.softmax_cross_entropy(logits, y)
        grads = {}
        trained = [i for i in range(1, self.config.n_blocks + 1) if f"conv{i}" not in frozen]
        lowest = min(trained, default=self.config.n_blocks + 1)  # nothing below it trains
        if "dense" in frozen:
            dh = dlogits @ c_dense[1].T if trained else None
        else:
            dh, grads["dense.w"], grads["dense.b"] = L.dense_backward(dlogits, c_dense)
        if trained:
            dh = L.flatten_backward(L.dropout_backward(dh, c_drop), c_flat)
        for i in range(self.config.n_blocks, lowest - 1, -1):
            c_conv, c_relu, c_pool, pooled_first = caches[i - 1]
            if pooled_first:
                da = P.pool_backward(L.relu_backward(dh, c_relu), c_pool)
            else:
                da = L.relu_backward(P.pool_backward(dh, c_pool), c_relu)
            if f"conv{i}" in frozen:
                dh = _conv_dx(da, c_conv)  # only passes the gradient down to a trained layer
                continue
            dh, grads[f"conv{i}.w"], grads[f"conv{i}.b"] = L.conv_backward(
                da, c_conv, need_dx=i > lowest
            )
        return loss, grads, logits

    def predict(self, x: np.ndarray, batch_size: int = 1024) -> tuple[np.ndarray, np.ndarray]:
        """Predicted class (N,) int and softmax probabilities (N, n_classes) float32."""
        x = self._check_input(x)
        if len(x) == 0:
            return np.zeros(0, dtype=np.intp), np.zeros((0, self.config.n_classes), np.float32)
        batches = range(0, len(x), batch_size)
        probs = np.concatenate([L.softmax(self.forward(x[i : i + batch_size])) for i in batches])
        return probs.argmax(axis=1), probs

    # --- description --------------------------------------------------------------------------

    def n_params(self) -> int:
        """Total number of weights and biases."""
        return sum(int(v.size) for v in self.params.values())

    def layer_table(self) -> list[dict]:
        """One row per layer: "type", "description", "input_shape", "output_shape" ((H, W, C)
        for maps, (n,) for vectors), "params"; plus "name", the prefix of its parameters.

        Built by `cnnviz.ops.shapes.layer_table`, with dropout and softmax rows added.
        """
        return layer_table(self.config)

    def mlp_comparison(self) -> dict:
        """See the module function `mlp_comparison`."""
        return mlp_comparison(self.config)

    def _check_input(self, x: np.ndarray) -> np.ndarray:
        # The parameters' dtype rules: float32 normally, float64 in gradient checks.
        x = np.asarray(x, dtype=self.params["dense.b"].dtype)
        if x.ndim != 4 or x.shape[1:] != self.config.input_shape:
            raise ValueError(
                f"expected a batch of shape (N, {', '.join(map(str, self.config.input_shape))}), "
                f"got {x.shape}"
            )
        return x


def layer_names(config: CNNConfig) -> tuple[str, ...]:
    """Names of the layers with parameters, input first: ("conv1", …, "convB", "dense")."""
    return (*(f"conv{i}" for i in range(1, config.n_blocks + 1)), "dense")


def check_frozen(config: CNNConfig, frozen) -> frozenset[str]:
    """`frozen` as a frozenset of layer names; ValueError naming any unknown layer."""
    frozen = frozenset(frozen)
    unknown = sorted(frozen - set(layer_names(config)))
    if unknown:
        raise ValueError(
            f"cannot freeze {unknown}: this network's layers are {list(layer_names(config))}"
        )
    return frozen


def _conv_dx(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """dx of `layers.conv_forward` without dw and db (for a frozen layer above a trained one);
    the same branches as `layers.conv_backward`."""
    cols, w_rows, (N, C, H, W), (F, _, KH, KW), stride, pad = cache
    _, _, H_out, W_out = dout.shape
    d2 = dout.transpose(0, 2, 3, 1).reshape(N * H_out * W_out, F)
    if stride == 1 and pad <= KH - 1 and KH == KW and H_out * W_out < 64:
        return L._conv_dx_full(d2.reshape(N, H_out, W_out, F), w_rows, C, KH, pad)
    return L._col2im_by_tap(d2, w_rows, (N, C, H, W), KH, KW, stride, pad, (H_out, W_out))


def layer_table(config: CNNConfig) -> list[dict]:
    """Rows of `cnnviz.ops.shapes.layer_table` for this architecture, with dropout and softmax.

    Each row has "name" (e.g. "conv1", the prefix of its parameters), "type", "description",
    "input_shape", "output_shape" ((H, W, C) or (n,)) and "params".
    """
    C, H, W = config.input_shape
    spec, names = [], []
    for i, F in enumerate(config.filters, start=1):
        spec += [
            {"type": "conv", "filters": F, "kernel": config.kernel_size, "pad": "same"},
            {"type": "relu"},
            {"type": "pool", "kernel": POOL_SIZE, "mode": config.pool},
        ]
        names += [f"conv{i}", f"relu{i}", f"pool{i}"]
    spec += [{"type": "flatten"}, {"type": "dense", "units": config.n_classes}]
    names += ["flatten", "dense"]
    rows = _ops_layer_table((H, W, C), spec)
    for row, name in zip(rows, names, strict=True):
        row["name"] = name
    if config.dropout:
        flat = rows[-2]["output_shape"]
        drop = {"name": "dropout", "type": "dropout", "input_shape": flat, "output_shape": flat}
        drop |= {"params": 0, "description": f"dropout p={config.dropout:g} (training only)"}
        rows.insert(len(rows) - 1, drop)
    n = config.n_classes
    rows.append(
        {
            "name": "softmax",
            "type": "softmax",
            "description": "softmax: scores → probabilities",
            "input_shape": (n,),
            "output_shape": (n,),
            "params": 0,
        }
    )
    for index, row in enumerate(rows):
        row["index"] = index
    return rows


def mlp_comparison(config: CNNConfig) -> dict:
    """A fully connected network as wide as the CNN, and its parameter count.

    Its layers have as many units as the CNN has values after each conv layer
    (``F * H * W``), then `n_classes` outputs: the same neurons without weight sharing.

    Returns
    -------
    dict with "widths" (input, hidden…, output), "params" (int) and "cnn_params" (int)
    """
    C, H, W = config.input_shape
    widths = [C * H * W]
    for F in config.filters:
        widths.append(F * H * W)  # "same" conv keeps H, W; the pool after it halves them
        H, W = H // POOL_SIZE, W // POOL_SIZE
    widths.append(config.n_classes)
    params = sum(a * b + b for a, b in zip(widths[:-1], widths[1:], strict=True))
    cnn = sum(math.prod(shape) for shape in param_shapes(config).values())
    return {"widths": tuple(widths), "params": params, "cnn_params": cnn}
