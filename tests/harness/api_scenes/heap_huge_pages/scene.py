"""A scene process runs with glibc's heap on transparent huge pages (GLIBC_TUNABLES
glibc.malloc.hugetlb=1, which the harness sets for itself and its children,
common/huge_page_heap.h) and with the tunables the user set (check_scene_api.py runs the
harness with glibc.malloc.check=0)."""
import os

import numpy as np

ARCHES = ["a2a3"]
LEVEL = "L2"


def run(ctx):
    tunables = os.environ.get("GLIBC_TUNABLES", "").split(":")
    assert "glibc.malloc.hugetlb=1" in tunables, tunables
    assert "glibc.malloc.check=0" in tunables, tunables
    ctx.check("x", np.ones(4), np.ones(4))
