"""Online softmax over ragged sequences, one task per sequence (a decode step's attention).

Each sequence has 16 rows (heads) of scores of its own length (case ragged: 1 to 250 of
256 columns; case full_blocks: whole 64-column blocks only);
kernels/online_softmax.cpp reads them in 64-column blocks, the last one ragged, keeps the
running row max and sum, then writes the probabilities and each row's log-sum-exp.
Columns past a sequence's length are never touched.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25

ROWS, STRIDE = 16, 256
CASES = {
    "ragged": {"lengths": [37, 64, 100, 128, 200, 1, 250, 65]},
    "full_blocks": {"lengths": [64, 128, 192, 256]},
}


def run(ctx):
    lengths = ctx.params["lengths"]
    rng = np.random.default_rng(7)
    scores = (rng.standard_normal((len(lengths), ROWS, STRIDE)) * 4).astype(np.float32)
    probabilities = np.zeros_like(scores)
    lse = np.zeros((len(lengths), ROWS), dtype=np.float32)

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("online_softmax", ctx.kernel("online_softmax"), "kernel_entry")
    In, Out = tandem.Direction.In, tandem.Direction.Out
    graph = tandem.TaskGraph()
    for sequence, length in enumerate(lengths):
        graph.add_task("online_softmax",
                       [(tandem.Tensor(scores[sequence]), In), (tandem.Tensor(probabilities[sequence]), Out),
                        (tandem.Tensor(lse[sequence]), Out)],
                       scalars=[tandem.scalar_i32(length), tandem.scalar_i32(STRIDE)])
    timeline = worker.run(graph)
    worker.finalize()

    golden = np.zeros_like(scores)
    golden_lse = np.zeros_like(lse)
    for sequence, length in enumerate(lengths):
        s = scores[sequence, :, :length].astype(np.float64)
        top = s.max(axis=1, keepdims=True)
        total = np.exp(s - top).sum(axis=1, keepdims=True)
        golden[sequence, :, :length] = np.exp(s - top) / total
        golden_lse[sequence] = (top + np.log(total))[:, 0]
    ctx.check("probabilities", probabilities, golden, rtol=1e-5, atol=1e-6)
    ctx.check("lse", lse, golden_lse, rtol=1e-5, atol=1e-5)
    # Independent sequences spread over the vector cores.
    assert len({task["core"] for task in timeline}) > 1, timeline
