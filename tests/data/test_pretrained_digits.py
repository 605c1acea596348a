"""The shipped pre-trained digits network of lesson 9: it loads, it is lesson 7's default
architecture, and it reaches the accuracy its recipe file records on the lesson-7 test split."""

from __future__ import annotations

import json

from cnnviz.data import pretrained_digits
from cnnviz.data.datasets import digits_dataset
from cnnviz.nn import CNNConfig, evaluate
from cnnviz.nn.serialize import load_named


def test_the_shipped_network_is_lesson_7s_default_and_reaches_its_recorded_accuracy():
    model, info = pretrained_digits.load_digits_cnn()
    assert model.config == CNNConfig()
    assert info["class_names"] == tuple(str(d) for d in range(10))
    data = digits_dataset()
    accuracy = evaluate(model, data.x_test, data.y_test).accuracy
    assert round(accuracy, 4) == info["test_accuracy"] >= 0.97
    assert info["test_images"] == len(data.y_test)


def test_the_recipe_file_is_the_recipe_in_the_code():
    info = json.loads(pretrained_digits.INFO_PATH.read_text(encoding="utf-8"))
    assert {k: info[k] for k in pretrained_digits.RECIPE} == pretrained_digits.RECIPE


def test_the_shared_weights_cannot_be_changed_by_accident():
    model, _ = pretrained_digits.load_digits_cnn()
    assert not any(value.flags.writeable for value in model.params.values())
    fresh, names = load_named(pretrained_digits.WEIGHTS_PATH.read_bytes())
    assert names == tuple(str(d) for d in range(10))
    assert all(fresh.params[k].tolist() == v.tolist() for k, v in model.params.items())
