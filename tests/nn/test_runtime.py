"""Process settings for fast training: one BLAS thread, kept memory."""

import ctypes
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnviz.nn.runtime import keep_freed_memory, limit_blas_threads

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc / procfs")


def _openblas_get_threads():
    np.ones((2, 2)) @ np.ones((2, 2))  # make sure NumPy's BLAS is loaded
    for line in Path("/proc/self/maps").read_text().splitlines():
        if "openblas" in line:
            lib = ctypes.CDLL(line.split()[-1])
            for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
                if hasattr(lib, name):
                    return getattr(lib, name)
    return None


@linux_only
def test_limit_blas_threads_sets_the_openblas_thread_count():
    get = _openblas_get_threads()
    if get is None:
        pytest.skip("NumPy is not linked against OpenBLAS here")
    before = get()
    try:
        assert limit_blas_threads(1) is True
        assert get() == 1
        assert limit_blas_threads(2) is True
        assert get() == 2
    finally:
        limit_blas_threads(before)


@linux_only
def test_keep_freed_memory_is_accepted_by_glibc():
    assert keep_freed_memory() is True
    a = np.ones(10**6)  # allocation still works afterwards
    assert a.sum() == 10**6
