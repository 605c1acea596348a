"""One module (or package) per lesson: its settings and its Streamlit views.

A lesson has one name everywhere: ``pages/5_Pooling.py`` is the lesson ``pooling``, whose views
live in ``cnnviz/lessons/pooling.py``, questions in ``cnnviz/quiz/pooling.py``, figures in
``cnnviz/viz/pooling.py`` (where it has its own), text in ``assets/lessons/pooling.md`` and
AppTests in ``tests/app/test_pooling.py``. Each module declares its settings once
(`cnnviz.ui.settings`); the page reads like a description of its UI.
"""
