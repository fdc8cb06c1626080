"""A paged-attention decode step on both core types: one query token per sequence, 16 heads of
dimension 128, ragged sequence lengths, and a KV cache of 128-token blocks that each sequence
reaches through its row of a block table (blocks scattered over the cache, as a paging
allocator leaves them). The table is a device tensor the cube kernels read their block from,
through a __gm__ pointer, as paged kernels on the board do.

Per sequence and block (kernels/): scores = q @ K_block on the cube (cube/scores.cpp; the
cache keeps each block's K transposed), the online-softmax step on a vector core
(softmax_block.cpp: running max and sum, the block's float16 numerators, the rescaling
alpha), p @ V_block on the cube (cube/values.cpp), and the output update o = o * alpha + pv
on a vector core (update.cpp); a last vector task divides by the sum (normalize.cpp).
Successive blocks of a sequence are chained through the running max/sum and the output;
different sequences and the two halves of a block's work overlap on the AIC and AIV cores.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25

HEADS, HEAD_DIM, BLOCK = 16, 128, 128  # kernels/shapes.h
CASES = {
    "ragged": {"lengths": [1, 100, 128, 129, 300, 513], "cache_blocks": 24},
    "long": {"lengths": [1024, 77], "cache_blocks": 12},
}


def run(ctx):
    lengths = ctx.params["lengths"]
    cache_blocks = ctx.params["cache_blocks"]
    rng = np.random.default_rng(5)
    blocks_of = [(length + BLOCK - 1) // BLOCK for length in lengths]
    assert sum(blocks_of) <= cache_blocks
    # Each sequence's blocks, scattered over the cache.
    physical = rng.permutation(cache_blocks)
    block_table, used = [], 0
    for count in blocks_of:
        block_table.append([int(block) for block in physical[used:used + count]])
        used += count

    q = rng.uniform(-1, 1, (len(lengths), HEADS, HEAD_DIM)).astype(np.float16)
    k_cache = rng.uniform(-1, 1, (cache_blocks, HEAD_DIM, BLOCK)).astype(np.float16)  # K transposed per block
    v_cache = rng.uniform(-1, 1, (cache_blocks, BLOCK, HEAD_DIM)).astype(np.float16)
    most = max(blocks_of)
    tables = np.full((len(lengths), most), -1, dtype=np.int32)  # the block table; -1: no block
    for s, row in enumerate(block_table):
        tables[s, :len(row)] = row
    scores = np.zeros((len(lengths), most, HEADS, BLOCK), dtype=np.float32)
    p = np.zeros((len(lengths), most, HEADS, BLOCK), dtype=np.float16)
    alpha = np.zeros((len(lengths), most, HEADS), dtype=np.float32)
    pv = np.zeros((len(lengths), most, HEADS, HEAD_DIM), dtype=np.float32)
    m = np.full((len(lengths), HEADS), -np.inf, dtype=np.float32)
    l = np.zeros((len(lengths), HEADS), dtype=np.float32)
    out = np.zeros((len(lengths), HEADS, HEAD_DIM), dtype=np.float32)

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    for kernel in ("scores", "values"):
        worker.register_kernel(kernel, ctx.kernel(kernel), "kernel_entry", core="aic")
    for kernel in ("softmax_block", "update", "normalize"):
        worker.register_kernel(kernel, ctx.kernel(kernel), "kernel_entry")
    In, Out, InOut = tandem.Direction.In, tandem.Direction.Out, tandem.Direction.InOut
    T, i32 = tandem.Tensor, tandem.scalar_i32
    graph = tandem.TaskGraph()
    for s, length in enumerate(lengths):
        for index in range(blocks_of[s]):
            valid = min(BLOCK, length - index * BLOCK)
            graph.add_task("scores", [(T(q[s]), In), (T(k_cache), In), (T(scores[s, index]), Out),
                                      (T(tables[s]), In)], scalars=[i32(index)])
            graph.add_task("softmax_block", [(T(scores[s, index]), In), (T(m[s]), InOut), (T(l[s]), InOut),
                                             (T(p[s, index]), Out), (T(alpha[s, index]), Out)],
                           scalars=[i32(valid)])
            graph.add_task("values", [(T(p[s, index]), In), (T(v_cache), In), (T(pv[s, index]), Out),
                                      (T(tables[s]), In)], scalars=[i32(index)])
            graph.add_task("update", [(T(pv[s, index]), In), (T(alpha[s, index]), In), (T(out[s]), InOut)])
        graph.add_task("normalize", [(T(out[s]), InOut), (T(l[s]), In)])
    timeline = worker.run(graph)
    worker.finalize()

    golden = np.zeros_like(out, dtype=np.float64)
    for s, length in enumerate(lengths):
        keys = np.concatenate([k_cache[block].T for block in block_table[s]])[:length].astype(np.float64)
        values = np.concatenate([v_cache[block] for block in block_table[s]])[:length].astype(np.float64)
        logits = q[s].astype(np.float64) @ keys.T
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        golden[s] = (weights / weights.sum(axis=1, keepdims=True)) @ values
    # The cube takes the softmax numerators in float16 (relative rounding 2^-11): the output is
    # a weighted mean of values in [-1, 1] with weights off by that much.
    ctx.check("out", out, golden, rtol=2e-3, atol=2e-3)

    cube = [task for task in timeline if task["core_type"] == "aic"]
    vector = [task for task in timeline if task["core_type"] == "aiv"]
    assert {task["kernel"] for task in cube} == {"scores", "values"}, timeline
    assert len(cube) == 2 * sum(blocks_of) and len(vector) == 2 * sum(blocks_of) + len(lengths), timeline
    overlap = any(v["start_ns"] < c["end_ns"] and c["start_ns"] < v["end_ns"] for v in vector for c in cube)
    assert overlap, (f"no AIV task overlaps an AIC task: cube {min(c['start_ns'] for c in cube)}.."
                     f"{max(c['end_ns'] for c in cube)} ns, vector from {min(v['start_ns'] for v in vector)} ns")
