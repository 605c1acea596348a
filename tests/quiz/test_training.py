"""Lesson 7's questions: answers computed from the network on screen."""

import numpy as np

from cnnviz import nn, quiz


def test_answers_match_the_network():
    config = nn.CNNConfig(filters=(8, 16), kernel_size=3)
    questions = quiz.training_questions(config, n_train=1438, batch_size=32)
    params, block1, steps = (q.answer for q in questions)
    assert params == nn.TinyCNN.create(config, np.random.default_rng(0)).params["conv1.w"].size + 8
    assert block1 == 8 * 4 * 4
    assert steps == 45  # ceil(1438 / 32)


def test_after_an_sgd_step_the_update_is_asked_and_checked():
    data = nn.digits_dataset()
    model = nn.TinyCNN.create(nn.CNNConfig(), np.random.default_rng(0))
    optimizer = nn.make_optimizer("sgd", 0.1)
    next(
        nn.train_steps(
            model, data, batch_size=16, optimizer=optimizer, rng=np.random.default_rng(1)
        )
    )
    step = nn.filter_step(model, optimizer, "conv1", 0)
    question = quiz.training_questions(model.config, 1438, 16, step)[-1]
    assert question.is_correct(float(step.w_after[0, 0, 0]))
    assert not question.is_correct(float(step.w_before[0, 0, 0]) + 1)
    adam = nn.make_optimizer("adam", 0.01)
    next(nn.train_steps(model, data, batch_size=16, optimizer=adam, rng=np.random.default_rng(1)))
    assert (
        len(
            quiz.training_questions(model.config, 1438, 16, nn.filter_step(model, adam, "conv1", 0))
        )
        == 3
    )
