"""Worker.malloc of an impossible size is a ValueError; the chip child stays usable."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L3"


def run(ctx):
    with tandem.Worker(level=3, device_ids=[ctx.device], provider=ctx.provider) as worker:
        for nbytes in (2**48 + 1, 2**64 - 1):
            try:
                worker.malloc(ctx.device, nbytes)
                raise AssertionError(f"malloc of {nbytes} bytes succeeded")
            except ValueError as error:
                assert str(nbytes) in str(error), error
        pointer = worker.malloc(ctx.device, 4096)
        data = np.arange(1024, dtype=np.float32)
        worker.copy_to(ctx.device, pointer, data)
        back = np.zeros_like(data)
        worker.copy_from(ctx.device, back, pointer)
        worker.free(ctx.device, pointer)
        ctx.check("round trip after the refused mallocs", back, data)
