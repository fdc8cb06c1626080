"""Attention probabilities with a mixed kernel: one cluster task per head.

P[h] = softmax(Q[h] @ K[h]^T / sqrt(d)) for 64 queries x 64 keys, d = 128. Each head is one task
of the mixed kernel kernels/mix/scores_softmax.cpp, which takes a whole cluster: its AIC part
computes the scores on the cube and stores them through FIX into a workspace, then sets a
cross-core flag; its two AIV parts wait for that flag and each turn 32 rows of scores into
probabilities. There are more heads than clusters (24 on a2a3, 36 on a5), so clusters are reused.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25

QUERIES, KEYS, HEAD_DIM = 64, 64, 128  # the kernel's shapes
HEADS = 40


def run(ctx):
    rng = np.random.default_rng(5)
    q = rng.uniform(-1, 1, (HEADS, QUERIES, HEAD_DIM)).astype(np.float16)
    k = rng.uniform(-1, 1, (HEADS, KEYS, HEAD_DIM)).astype(np.float16)
    kt = np.ascontiguousarray(np.swapaxes(k, 1, 2))
    scores = np.zeros((HEADS, QUERIES, KEYS), dtype=np.float32)  # the AIC -> AIV workspace
    p = np.zeros((HEADS, QUERIES, KEYS), dtype=np.float32)
    scale = 1.0 / np.sqrt(HEAD_DIM)

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("scores_softmax", ctx.kernel("scores_softmax"), "kernel_entry", core="mix")
    In, Out, InOut = tandem.Direction.In, tandem.Direction.Out, tandem.Direction.InOut
    graph = tandem.TaskGraph()
    for h in range(HEADS):
        graph.add_task("scores_softmax",
                       [(tandem.Tensor(q[h]), In), (tandem.Tensor(kt[h]), In), (tandem.Tensor(scores[h]), InOut),
                        (tandem.Tensor(p[h]), Out)],
                       scalars=[tandem.scalar_f32(scale)])
    timeline = worker.run(graph)
    worker.finalize()

    logits = np.matmul(q.astype(np.float64), kt.astype(np.float64)) * scale
    golden = np.exp(logits - logits.max(axis=-1, keepdims=True))
    golden /= golden.sum(axis=-1, keepdims=True)
    ctx.check("p", p, golden, rtol=1e-4, atol=1e-6)

    assert len(timeline) == HEADS and all(task["core_type"] == "mix" for task in timeline), timeline
    # A cluster task names its cluster's AIC; the heads spread over the clusters and reuse them.
    clusters = {task["core"] for task in timeline}
    assert 1 < len(clusters) < HEADS, clusters
