"""Worker.copy_from must not write into a read-only array."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L3"


def run(ctx):
    with tandem.Worker(level=3, device_ids=[ctx.device], provider=ctx.provider) as worker:
        pointer = worker.malloc(ctx.device, 4096)
        worker.copy_to(ctx.device, pointer, np.full(1024, 7, dtype=np.int32))
        immutable = b"\0" * 4096
        target = np.frombuffer(immutable, dtype=np.int32)
        refused = ""
        try:
            worker.copy_from(ctx.device, target, pointer)
        except ValueError as error:
            refused = str(error)
        worker.free(ctx.device, pointer)
    print("refused:", refused)
    ctx.check("the immutable bytes are unchanged", np.frombuffer(immutable, dtype=np.int32), np.zeros(1024, dtype=np.int32))
    assert "writeable" in refused, refused
