"""Links made before the code was reshaped still open the same view.

`DEFAULT_LINKS` is each page's link as it was written before settings were declared as objects
(recorded from the pages at that time): the same names and default values must come back, so
every link a teacher ever shared keeps its meaning. `OLD_LINKS` are shared links with
non-default values: they open without any "adjusted" note and come back unchanged.
"""

from __future__ import annotations

import pytest

from tests.app.conftest import app_test

DEFAULT_LINKS = {
    "pages/1_Pixels.py": "image=chelsea&size=16&row=100&col=160&channel=red&digit=four&example=4"
    "&resize=28&method=area",
    "pages/2_Convolution.py": "input=example&image=chelsea&crop=8&row=104&col=160&preset=example"
    "&kernel=1,0,1;0,1,0;1,0,1&bias=0&stride=1&pad=0&dilation=1&mode=correlation&step=0"
    "&filters=10",
    "pages/3_Filter_Playground.py": "image=chelsea&preset=sobel_vertical_edges"
    "&kernel=1,0,-1;2,0,-2;1,0,-1&mode=gray&mix=average&channel=red&row=120&col=200",
    "pages/4_Stride_and_Padding.py": "h=7&w=8&k=3&s=2&pad=0&d=1&view=step&step=0"
    "&net=conv,8,3,1,1,1;relu;pool,2,2,max;conv,16,3,1,1,1;relu;pool,2,2,max;flatten;dense,10"
    "&nh=8&nw=8&nc=1",
    "pages/5_Pooling.py": "seed=5&side=6&values=digits&size=2&stride=2&window=1&spot=5"
    "&image=chelsea&map=sobel_vertical_edges&times=1",
    "pages/6_Activations.py": "fn=relu&x=-1.5&slope=0.1&image=chelsea&kernel=sobel_vertical_edges"
    "&crop=8&row=27&col=46&scores=2, 1, 0.1&T=1",
    "pages/7_Train_a_CNN.py": "data=digits&blocks=2&f1=8&f2=16&f3=32&kernel=3&pool=max&dropout=0"
    "&opt=adam&lr=0.01&batch=32&augment=none&seed=0&view=layers",
}

OLD_LINKS = {
    "pages/1_Pixels.py": "channel=green&resize=4&digit=uci&example=42",
    "pages/2_Convolution.py": "input=photo&stride=2&pad=same&step=3&mode=convolution",
    "pages/3_Filter_Playground.py": "preset=box_blur&mode=full_depth&mix=red_minus_blue",
    "pages/4_Stride_and_Padding.py": "h=16&w=16&k=3&s=1&pad=same&step=5",
    "pages/5_Pooling.py": "side=8&size=3&stride=1&window=7&times=2&map=photo",
    "pages/6_Activations.py": "fn=tanh&x=2&scores=1000, 0&T=2",
    "pages/7_Train_a_CNN.py": "data=shapes&opt=sgd&lr=0.1&batch=64&view=step",
}


def _pairs(query: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in query.split("&"))


def _link(at) -> dict[str, str]:
    return {name: at.query_params[name] for name in at.query_params}


@pytest.mark.parametrize("page", sorted(DEFAULT_LINKS))
def test_a_page_writes_the_same_link_as_before(page):
    at = app_test(page).run()
    assert not at.exception
    assert _link(at) == _pairs(DEFAULT_LINKS[page])


@pytest.mark.parametrize("page", sorted(OLD_LINKS))
def test_an_old_shared_link_opens_unchanged(page):
    asked = _pairs(OLD_LINKS[page])
    at = app_test(page, asked).run()
    assert not at.exception
    assert not [i for i in at.info if "adjusted" in i.value], "a valid old link was changed"
    link = _link(at)
    assert {name: link[name] for name in asked} == asked


@pytest.mark.parametrize(
    ("page", "query", "note"),
    [
        (
            "pages/1_Pixels.py",
            {"row": "99999"},
            "row 99999, but here it goes from 0 to 284; using 284",
        ),
        (
            "pages/3_Filter_Playground.py",
            {"image": "coffee", "row": "350"},
            "from 0 to 340; using 340",
        ),
        ("pages/2_Convolution.py", {"input": "photo", "row": "99999"}, "0 to 292; using 292"),
        (
            "pages/6_Activations.py",
            {"row": "5000"},
            "row 5000, but here it goes from 0 to 75; using 75",
        ),
    ],
)
def test_a_position_beyond_the_picture_is_noted_with_the_value_really_used(page, query, note):
    """The picture decides the bound: the note names it (not 4096) and the link agrees."""
    at = app_test(page, query).run()
    assert not at.exception
    (info,) = at.info
    assert note in info.value and "4096" not in info.value
    used = note.rsplit("using ", 1)[1]
    assert at.query_params["row"] in (used, [used])
