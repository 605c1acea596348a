"""Presenter view: the link flag and the toggle, what it hides, and the QR code of the link."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cnnviz.ui import presenter
from tests.app.conftest import app_test


def decoded(png: bytes) -> str:
    """What a phone's camera reads from a QR code image (OpenCV's detector)."""
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


@pytest.mark.parametrize(
    ("base", "page", "query", "link"),
    [
        ("http://10.0.0.5:8501/", "Pooling", {"size": "2", "present": "1"},
         "http://10.0.0.5:8501/Pooling?size=2"),
        ("http://10.0.0.5:8501/Pooling", "Pooling", {}, "http://10.0.0.5:8501/Pooling"),
        (None, "", {"sidebar": "collapsed"}, "http://localhost:8501/"),
        ("https://school.example/cnn/", "Train_a_CNN", {"lr": "0.01", "note": "a b&c"},
         "https://school.example/cnn/Train_a_CNN?lr=0.01&note=a+b%26c"),
    ],
)  # fmt: skip
def test_the_class_link_is_the_view_without_the_presenter_flag(base, page, query, link):
    assert presenter.class_link(base, page, query) == link


def test_the_qr_code_reads_back_as_the_link():
    link = "http://10.0.0.5:8501/Convolution?input=photo&kernel=sobel_x&stride=2&step=7"
    assert decoded(presenter.qr_png(link)) == link


def test_a_presenter_link_hides_the_quiz_and_the_code_and_shows_the_qr_code():
    at = app_test("pages/5_Pooling.py", query={"present": "1", "size": "3"}).run()
    assert not at.exception
    assert "Check yourself" not in [s.value for s in at.subheader]
    assert "The NumPy behind this" not in [e.label for e in at.expander]
    (qr,) = at.get("image")  # its pixels are read back in the browser test
    assert qr.proto.imgs[0].caption == "Scan to open this view"
    assert qr.proto.imgs[0].url.endswith(".png")  # never a blurry JPEG of a QR code
    link = "http://localhost:8501/Pooling?" + "&".join(
        f"{k}={v}" for k, v in at.query_params.items() if k != "present"
    )
    assert at.query_params["present"] == "1" and at.query_params["size"] == "3"
    assert link in " ".join(m.value for m in at.markdown)
    assert at.button(key="presenter_leave")


def test_the_toggle_turns_it_on_and_the_leave_button_off_again():
    at = app_test("pages/5_Pooling.py").run()
    assert "Check yourself" in [s.value for s in at.subheader]
    assert "present" not in at.query_params
    at.toggle(key=presenter.PRESENT_KEY).set_value(True).run()
    assert at.query_params["present"] == "1"
    assert "Check yourself" not in [s.value for s in at.subheader]
    at.button(key="presenter_leave").click().run()
    assert "present" not in at.query_params
    assert "Check yourself" in [s.value for s in at.subheader]


def test_home_in_presenter_view_and_a_folded_sidebar_stays_in_the_link():
    at = app_test("app.py", query={"present": "1"}).run()
    assert not at.exception and at.button(key="presenter_leave")
    assert "http://localhost:8501/" in " ".join(m.value for m in at.markdown)
    lesson = app_test("pages/5_Pooling.py", query={"sidebar": "collapsed"}).run()
    assert lesson.query_params["sidebar"] == "collapsed"
