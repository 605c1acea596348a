"""Transfer learning: copy a trained network's conv layers into a new one, freeze, fine-tune.

A conv layer's weights (F, C, k, k) do not depend on the image size (every conv is "same"
padded), so conv layers trained on one task can be copied into a network for another task,
with another number of classes or a larger input, as long as the filter counts, kernel size,
pooling and input channels agree. The dense layer is new (random) and learns the new classes.

Gray → colour: a network trained on gray images (C = 1) can read RGB input (C = 3). Each
first-layer filter is replicated over the three channels and divided by 3 (``CHANNEL_MEAN``):
on any RGB image the copied conv1 then computes exactly what the gray filter computes on the
image's channel mean, so on a gray image (R = G = B) it is exactly the original network (up to
float rounding). ``channel_mix=LUMA`` uses OpenCV's gray weights instead, so the network sees
the image as ``cv2.cvtColor(..., COLOR_RGB2GRAY)`` would make it gray.

Layer names are those of `cnnviz.nn.model.layer_names`: "conv1", …, "dense".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.nn.model import CNNConfig, TinyCNN, check_frozen, layer_names

CHANNEL_MEAN = (1 / 3, 1 / 3, 1 / 3)
LUMA = (0.299, 0.587, 0.114)  # ITU-R BT.601, as cv2.COLOR_RGB2GRAY
FINE_TUNE_SCALE = 0.1
"""Learning-rate multiplier of the unfrozen last conv layer when fine-tuning."""


class LayerMismatchError(ValueError):
    """Layers that cannot be copied between two architectures; the message says why."""


def conv_names(config: CNNConfig) -> tuple[str, ...]:
    """("conv1", …) of the network's conv layers."""
    return layer_names(config)[:-1]


def copy_layers(
    source: TinyCNN,
    target_config: CNNConfig,
    names,
    rng: np.random.Generator,
    *,
    channel_mix: tuple[float, ...] = CHANNEL_MEAN,
) -> TinyCNN:
    """A new network for `target_config`: the layers `names` copied from `source`, every other
    parameter freshly initialised from `rng` (as `TinyCNN.create`).

    Parameters
    ----------
    source : the trained network (not changed; the copy owns its arrays)
    target_config : the new architecture, e.g. other classes, other input size or channels
    names : layer names to copy; conv layers must be the first ones ("conv1", "conv1" and
        "conv2", …) because each reads the maps of the one before. "dense" only if its shape
        matches (same classes and flattened size)
    channel_mix : weight of each input channel when a 1-channel conv1 is copied into a
        network with more input channels (see the module docstring); must sum to 1

    Raises
    ------
    LayerMismatchError
        A layer missing from either network, another filter count, kernel size, pooling or
        input-channel count (other than 1 → C), a dense layer of another shape, or conv layers
        that are not the first ones.
    """
    names = tuple(dict.fromkeys(names))
    target = TinyCNN.create(target_config, rng)
    _check_names(source.config, target_config, names)
    for name in names:
        for part in ("w", "b"):
            key = f"{name}.{part}"
            value = source.params[key]
            if key == "conv1.w" and value.shape[1] != target.params[key].shape[1]:
                value = _spread_channels(value, target.params[key].shape[1], channel_mix)
            if value.shape != target.params[key].shape:
                raise LayerMismatchError(_shape_message(key, value.shape, target.params[key]))
            target.params[key] = value.astype(np.float32, copy=True)
    return target


def _check_names(source: CNNConfig, target: CNNConfig, names: tuple[str, ...]) -> None:
    for name in names:
        for config, which in ((source, "saved"), (target, "new")):
            if name not in layer_names(config):
                raise LayerMismatchError(
                    f"the {which} network has no layer {name!r} (its layers are "
                    f"{', '.join(layer_names(config))})"
                )
    convs = [n for n in names if n != "dense"]
    if convs != list(conv_names(target)[: len(convs)]):
        raise LayerMismatchError(
            f"copy the first conv layers in order (conv1, conv2, …), not {', '.join(convs)}: each "
            "conv layer's filters read the maps of the layer before it"
        )
    if not convs:
        return
    if source.kernel_size != target.kernel_size:
        raise LayerMismatchError(
            f"the saved network's kernels are {source.kernel_size} × {source.kernel_size}, the new "
            f"one's {target.kernel_size} × {target.kernel_size}: its filters cannot be copied"
        )
    if source.pool != target.pool:
        raise LayerMismatchError(
            f"the saved network uses {source.pool}-pooling, the new one {target.pool}-pooling: "
            "the copied filters would read maps unlike the ones they learned on"
        )
    for i, name in enumerate(convs):
        if source.filters[i] != target.filters[i]:
            raise LayerMismatchError(
                f"{name} has {source.filters[i]} filters in the saved network and "
                f"{target.filters[i]} in the new one; use {source.filters[i]}"
            )
    c_src, c_new = source.input_shape[0], target.input_shape[0]
    if c_src != c_new and c_src != 1:
        raise LayerMismatchError(
            f"the saved network reads {c_src}-channel images and the new one {c_new}-channel "
            "ones; only gray (1 channel) filters can be spread over more channels"
        )


def _spread_channels(w: np.ndarray, channels: int, mix: tuple[float, ...]) -> np.ndarray:
    """(F, 1, k, k) gray filters -> (F, channels, k, k): channel c gets ``w * mix[c]``."""
    mix = np.asarray(mix, dtype=np.float64)
    if mix.shape != (channels,) or not np.isclose(mix.sum(), 1) or (mix < 0).any():
        raise LayerMismatchError(
            f"channel_mix needs {channels} weights >= 0 that sum to 1, got {tuple(mix)}"
        )
    return (w.astype(np.float64) * mix[None, :, None, None]).astype(np.float32)


def _shape_message(key: str, have: tuple, target: np.ndarray) -> str:
    return (
        f"{key} is {have} in the saved network and {target.shape} in the new one (another "
        "number of classes or another input size); leave this layer out of the copy"
    )


def transfer_network(
    pretrained: TinyCNN,
    input_shape: tuple[int, int, int],
    n_classes: int,
    rng: np.random.Generator,
    *,
    dropout: float = 0.0,
    channel_mix: tuple[float, ...] = CHANNEL_MEAN,
) -> TinyCNN:
    """A network for new classes with all of `pretrained`'s conv layers and a new dense layer.

    input_shape : (C, H, W) of the new images (C = 1 or 3; H, W a multiple of 2^blocks);
    n_classes : the new classes. The dense layer is drawn from `rng`.
    """
    config = CNNConfig(
        input_shape=input_shape,
        filters=pretrained.config.filters,
        kernel_size=pretrained.config.kernel_size,
        pool=pretrained.config.pool,
        dropout=dropout,
        n_classes=n_classes,
    )
    return copy_layers(
        pretrained, config, conv_names(pretrained.config), rng, channel_mix=channel_mix
    )


@dataclass(frozen=True)
class TransferPlan:
    """How a transferred network trains.

    frozen : layer names that never change
    lr_scale : layer name -> learning-rate multiplier (missing = 1)
    """

    frozen: frozenset[str]
    lr_scale: dict[str, float]


def frozen_plan(config: CNNConfig, fine_tune_last: bool = False) -> TransferPlan:
    """Every conv layer frozen (only the dense layer trains); with `fine_tune_last` the last
    conv layer trains too, at `FINE_TUNE_SCALE` × the learning rate."""
    convs = conv_names(config)
    if not fine_tune_last:
        return TransferPlan(frozenset(convs), {})
    return TransferPlan(frozenset(convs[:-1]), {convs[-1]: FINE_TUNE_SCALE})


def param_counts(model: TinyCNN, frozen=frozenset()) -> dict[str, int]:
    """{"trained": n, "frozen": n, "total": n}: weights and biases trained vs frozen."""
    frozen = check_frozen(model.config, frozen)
    counts = {"trained": 0, "frozen": 0}
    for key, value in model.params.items():
        counts["frozen" if key.split(".")[0] in frozen else "trained"] += int(value.size)
    return counts | {"total": counts["trained"] + counts["frozen"]}
