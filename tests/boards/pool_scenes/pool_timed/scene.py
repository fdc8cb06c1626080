"""Holds its device for a while and records when: appends "<device> <start> <end>" (wall seconds) to
$TANDEM_POOL_TIMELINE, so tests/boards/check_pool.py can check that harness runs never overlap on a device."""
import os
import time

import numpy as np
import tandem

ARCHES = ["a2a3"]
LEVEL = "L2"
HOLD_SECONDS = float(os.environ.get("TANDEM_POOL_HOLD", "1.5"))


def run(ctx):
    start = time.time()
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    x = np.arange(256, dtype=np.float32)
    buffer = worker.malloc(x.nbytes)
    worker.copy_to(buffer, x)
    back = np.zeros_like(x)
    worker.copy_from(back, buffer)
    worker.free(buffer)
    time.sleep(HOLD_SECONDS)
    worker.finalize()
    end = time.time()
    with open(os.environ["TANDEM_POOL_TIMELINE"], "a", encoding="utf-8") as timeline:
        timeline.write(f"{ctx.device} {start} {end}\n")
    ctx.check("x", back, x)
