"""Process settings that make small-network training fast: one BLAS thread, kept memory.

Both are process-wide and idempotent. The server applies them once, when its first page runs
(`cnnviz.ui.page.tune_server_process`); no library call does, so `train_steps` stays pure.

**One BLAS thread.** The matrices here are small (at most ~50,000 × 72): a second OpenBLAS
thread gains little, and on a busy or shared machine (a class of 30 on one 2-core server) its
spinning threads are descheduled and every multiply waits. Measured on a loaded 2-core machine:
~45 ms per digits step with 2 threads, ~1 ms with 1.

**Kept memory.** A training step allocates ~20 MB of short-lived arrays at 28×28 (im2col
matrices, feature maps, their gradients). glibc's malloc hands large freed blocks back to the
operating system, and the next step's arrays then start as fresh pages that the kernel must
fault in and zero: thousands of page faults per step (measured: ~3,900), which cost more than
the arithmetic. Raising malloc's trim/mmap thresholds keeps that memory for reuse (the process
holds on to its peak instead).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_MMAP_MAX = 32 * 2**20  # glibc's upper limit for the mmap threshold on 64-bit systems


def keep_freed_memory(trim_bytes: int = 256 * 2**20) -> bool:
    """Ask glibc to keep up to `trim_bytes` of freed heap and to serve blocks below 32 MiB
    from the heap. Process-wide and idempotent; returns False where malloc is not glibc's
    (macOS, Windows, musl), which changes nothing."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = mallopt(_M_MMAP_THRESHOLD, _MMAP_MAX)
    ok &= mallopt(_M_TRIM_THRESHOLD, int(trim_bytes))
    ok &= mallopt(_M_TOP_PAD, 16 * 2**20)
    return bool(ok)


_SET_THREADS = (
    "scipy_openblas_set_num_threads64_",  # the OpenBLAS bundled with NumPy >= 2 wheels
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def limit_blas_threads(n: int = 1) -> bool:
    """Set the thread count of every OpenBLAS loaded in this (Linux) process to `n`.

    Returns True if at least one OpenBLAS was found and set; False elsewhere (other BLAS
    libraries, macOS, Windows), which changes nothing. Like ``threadpoolctl``, which is not a
    dependency here.
    """
    maps = Path("/proc/self/maps")
    try:
        paths = {line.split()[-1] for line in maps.read_text().splitlines() if "openblas" in line}
    except OSError:
        return False
    done = False
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _SET_THREADS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                setter(int(n))
                done = True
                break
    return done
