/* The device-side platform ABI: what device code (the AICPU scheduler, the AIV
 * executor, scene kernels) may do, as a C table. In simulation the provider passes
 * the table to every device entry point and implements it on the chip model; a
 * board build of the same sources maps runtime/platform/device.h onto the CANN
 * toolchain's intrinsics instead. Plain C so every provider can implement it. */
#ifndef TANDEM_DEVICE_ABI_H
#define TANDEM_DEVICE_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TANDEM_DEVICE_ABI_VERSION 9u

/* The AICore pipes, named as the CCE intrinsics (set_flag / wait_flag / pipe_barrier) name
 * them. Each is an in-order queue; pipes run concurrently and are ordered only by flags
 * and barriers (PIPE_ALL: every pipe). */
typedef enum tandem_pipe {
    TANDEM_PIPE_S = 0,
    TANDEM_PIPE_V = 1,
    TANDEM_PIPE_M = 2,
    TANDEM_PIPE_MTE1 = 3,
    TANDEM_PIPE_MTE2 = 4,
    TANDEM_PIPE_MTE3 = 5,
    TANDEM_PIPE_ALL = 6,
    TANDEM_PIPE_FIX = 7
} tandem_pipe;
#define TANDEM_PIPE_COUNT 8u
#define TANDEM_EVENT_COUNT 8u /* EVENT_ID0 .. EVENT_ID7 per (source, destination) pipe pair */

/* How a vector instruction is costed (per-arch config, "vector" costs). */
typedef enum tandem_vector_class {
    TANDEM_VECTOR_SIMPLE = 0,         /* add, sub, mul, max, min, abs, relu, neg, with-scalar forms, fill, copy */
    TANDEM_VECTOR_CONVERT = 1,        /* TCVT */
    TANDEM_VECTOR_DIVIDE = 2,         /* TDIV, TDIVS, TROWEXPANDDIV */
    TANDEM_VECTOR_TRANSCENDENTAL = 3, /* exp, log, sqrt, rsqrt */
    TANDEM_VECTOR_REDUCE = 4          /* row reductions */
} tandem_vector_class;
#define TANDEM_VECTOR_CLASS_COUNT 5u

/* A byte range of the unified buffer. */
typedef struct tandem_ub_range {
    uint32_t offset;
    uint32_t bytes;
} tandem_ub_range;

/* One vector instruction on PIPE_V. The caller computes its result in UB (through `ub`);
 * the model charges the pipe and checks the UB ranges it reads and writes for hazards
 * against the other pipes' instructions not yet ordered before it. */
typedef struct tandem_vector_instruction {
    const char* name;             /* the instruction, for hazard reports ("TADD") */
    uint32_t cost_class;          /* tandem_vector_class */
    uint32_t rows;                /* rows (repeats) it processes */
    uint64_t bytes;               /* bytes streamed through the unit (the largest operand) */
    const tandem_ub_range* reads; /* UB ranges read */
    uint32_t read_count;
    const tandem_ub_range* writes; /* UB ranges written */
    uint32_t write_count;
} tandem_vector_instruction;

/* One MTE transfer: `rows` bursts of `row_bytes`, GM -> UB on PIPE_MTE2 or UB -> GM on
 * PIPE_MTE3. The data moves when it is issued (program order); the pipe is charged from
 * when its queue and its flags let it start. */
typedef struct tandem_mte_transfer {
    const char* name; /* the instruction, for hazard reports ("TLOAD") */
    uint32_t to_gm;   /* 0: GM -> UB (MTE2), 1: UB -> GM (MTE3) */
    uint32_t rows;
    uint32_t row_bytes;
    uint32_t ub_offset;     /* first burst in UB */
    uint32_t ub_row_stride; /* bytes between bursts in UB */
    uint64_t gm_address;    /* first burst in GM */
    uint64_t gm_row_stride; /* bytes between bursts in GM */
} tandem_mte_transfer;

/* The cube core's (AIC's) buffers: L1 holds Mat tiles, L0A Left, L0B Right, L0C Acc, the bias
 * table (BT) Bias tiles (TMATMUL_BIAS). */
typedef enum tandem_cube_buffer {
    TANDEM_CUBE_L1 = 0,
    TANDEM_CUBE_L0A = 1,
    TANDEM_CUBE_L0B = 2,
    TANDEM_CUBE_L0C = 3,
    TANDEM_CUBE_BT = 4
} tandem_cube_buffer;
#define TANDEM_CUBE_BUFFER_COUNT 5u

/* A byte range of one cube buffer. */
typedef struct tandem_cube_range {
    uint32_t buffer; /* tandem_cube_buffer */
    uint32_t offset;
    uint32_t bytes;
} tandem_cube_range;

/* One transfer between GM and a cube buffer: GM -> L1 on PIPE_MTE2 (TLOAD of a Mat tile),
 * L0C -> GM on PIPE_FIX (TSTORE of an Acc tile). The GM side is `rows` bursts of `row_bytes`;
 * the bytes move between GM and `staging` (rows * row_bytes, dense, owned by the caller), and
 * the caller converts between staging and the tile's fractal layout (and, on FIX, its element
 * type) itself. `tile` is the buffer range the instruction writes (load) or reads (store): the
 * model checks it for hazards and charges the pipe. */
typedef struct tandem_cube_transfer {
    const char* name; /* the instruction, for hazard reports ("TLOAD") */
    uint32_t to_gm;   /* 0: GM -> L1 (MTE2), 1: L0C -> GM (FIX) */
    uint32_t rows;
    uint32_t row_bytes;
    uint32_t reserved;
    uint64_t gm_address;    /* first burst in GM */
    uint64_t gm_row_stride; /* bytes between bursts in GM */
    void* staging;
    tandem_cube_range tile;
} tandem_cube_transfer;

/* L0C -> the UB of one AIV of the AIC's cluster on PIPE_FIX (TMOV of an Acc tile into a Vec
 * tile, the AccToVecMode forms), on archs with that path (cube_pipe.fix_to_ub_bytes_per_cycle > 0:
 * a5). `rows` rows of `row_bytes` move from `staging` (dense, converted and laid out by the
 * caller) to UB offset `ub_offset` + row * `ub_row_stride` of the cluster's AIV `subblock` (0 or
 * 1, get_subblockid); `tile` is the L0C range read. Only cross-core flags order it against that
 * AIV's own UB accesses; an overlap in UB bytes and device time is a modelled hazard fault. */
typedef struct tandem_fix_to_ub {
    const char* name; /* the instruction, for fault reports ("TMOV") */
    uint32_t subblock;
    uint32_t rows;
    uint32_t row_bytes;
    uint32_t ub_offset;
    uint32_t ub_row_stride;
    uint32_t reserved;
    const void* staging;
    tandem_cube_range tile;
} tandem_fix_to_ub;

/* How a cube instruction is costed (per-arch config, "cube" costs). */
typedef enum tandem_cube_class {
    TANDEM_CUBE_MOVE = 0,  /* PIPE_MTE1: L1 -> L0A / L0B / BT (TMOV, TEXTRACT); `bytes` moved */
    TANDEM_CUBE_MATMUL = 1 /* PIPE_M: TMATMUL*; m x k x n multiply-accumulates of `element` */
} tandem_cube_class;
#define TANDEM_CUBE_CLASS_COUNT 2u

/* The input element type of a matmul, which sets the cube's throughput. */
typedef enum tandem_cube_element {
    TANDEM_CUBE_F16 = 0, /* half and bfloat16_t, f32 accumulate */
    TANDEM_CUBE_F32 = 1, /* float, f32 accumulate */
    TANDEM_CUBE_INT8 = 2 /* int8_t, int32 accumulate */
} tandem_cube_element;
#define TANDEM_CUBE_ELEMENT_COUNT 3u

/* One cube instruction on PIPE_MTE1 or PIPE_M. The caller computes its result in the buffers
 * (through `cube_buffer`); the model charges the pipe and checks the ranges for hazards. */
typedef struct tandem_cube_instruction {
    const char* name;    /* "TMATMUL" */
    uint32_t cost_class; /* tandem_cube_class */
    uint32_t element;    /* tandem_cube_element (MATMUL) */
    uint32_t m, k, n;    /* MATMUL: the product's extents */
    uint32_t reserved;
    uint64_t bytes; /* MOVE: bytes moved */
    const tandem_cube_range* reads;
    uint32_t read_count;
    const tandem_cube_range* writes;
    uint32_t write_count;
} tandem_cube_instruction;

typedef struct tandem_device_ops {
    uint32_t abi_version;
    /* time */
    uint64_t (*now_ns)(void* core);
    uint64_t (*system_counter)(void* core);
    void (*compute_ns)(void* core, uint64_t ns);
    /* an idle thread waits ns before it looks again at memory it shares with the other threads
     * of its program (a scheduler's ready queue): on a board a delay; in simulation also a
     * synchronisation point, so what other cores did up to the thread's time is visible
     * (0: only the synchronisation point) */
    void (*pause_ns)(void* core, uint64_t ns);
    /* an idle thread, which last looked at that shared memory and its AICores' registers at
     * since_ns, looks again every period_ns until another thread of its program has announced a
     * change (announce_change) or the COND of an AICore whose DMB it wrote last has changed, at or
     * after since_ns, or its time reaches until_ns (UINT64_MAX: no limit); it returns at its first
     * look at or after the change. It may return after any look (a board returns after one
     * period): the caller looks at what it waits for and calls again. In simulation the looks in
     * between cost nothing to simulate. */
    void (*idle_wait)(void* core, uint64_t period_ns, uint64_t since_ns, uint64_t until_ns);
    void (*announce_change)(void* core);
    /* global memory (HBM or host-mapped): scalar accesses through the core's cache,
     * bulk copies uncached */
    void (*load)(void* core, uint64_t address, void* dst, uint64_t bytes);
    void (*store)(void* core, uint64_t address, const void* src, uint64_t bytes);
    void (*copy)(void* core, uint64_t dst, uint64_t src, uint64_t bytes);
    /* control registers of AIV core `aicore` at a window offset */
    uint32_t (*reg_read)(void* core, uint32_t aicore, uint32_t offset);
    void (*reg_write)(void* core, uint32_t aicore, uint32_t offset, uint32_t value);
    /* polls until ((value & mask) == expected) != until_not_equal; returns 1 and the
     * value, or 0 on timeout (timeout_ns = UINT64_MAX waits forever) */
    int (*reg_poll)(void* core, uint32_t aicore, uint32_t offset, uint32_t mask, uint32_t expected, int until_not_equal,
                    uint64_t timeout_ns, uint32_t* value);
    void (*barrier)(void* core);
    void (*cache_clean)(void* core, uint64_t address, uint64_t bytes);
    void (*cache_invalidate)(void* core, uint64_t address, uint64_t bytes);
    /* attribution of the accesses that follow to task `task_id` (its index in the run's graph)
     * of run `run_id`, running the kernel at `kernel_address` (trace, timeline, fault messages) */
    void (*task_begin)(void* core, uint64_t run_id, uint32_t task_id, uint64_t kernel_address);
    void (*task_end)(void* core, uint32_t task_id);
    /* AIV cores only (NULL on AICPU): unified buffer, MTE, vector unit. Instructions are
     * issued to their pipe; ordering only through flags and barriers (docs/aiv-pipes.md). */
    uint32_t (*ub_bytes)(void* core);
    uint8_t* (*ub)(void* core, uint32_t offset, uint32_t bytes);
    void (*mte)(void* core, const tandem_mte_transfer* transfer);
    void (*vector)(void* core, const tandem_vector_instruction* instruction);
    void (*set_flag)(void* core, uint32_t source_pipe, uint32_t destination_pipe, uint32_t event_id);
    void (*wait_flag)(void* core, uint32_t source_pipe, uint32_t destination_pipe, uint32_t event_id);
    /* PIPE_ALL: the scalar unit waits until every pipe is idle; one pipe: its later
     * instructions start after its earlier ones completed (e.g. dependent vector ops) */
    void (*pipe_barrier)(void* core, uint32_t pipe);
    /* the running task's arguments (its task-args blob): MTE transfers outside its tensors are
     * a modelled fault from now on. A simulator check, not device work: it costs no time. */
    void (*declare_task_args)(void* core, uint64_t task_args);
    /* AIC cores only (NULL elsewhere): the cube's buffers, transfers and instructions. AIC cores
     * also implement set_flag / wait_flag / pipe_barrier (pipes S, MTE1, MTE2, M, FIX) and
     * declare_task_args; the AIV-only ops above are NULL on them. */
    uint32_t (*cube_buffer_bytes)(void* core, uint32_t buffer);
    uint8_t* (*cube_buffer)(void* core, uint32_t buffer, uint32_t offset, uint32_t bytes);
    void (*cube_transfer)(void* core, const tandem_cube_transfer* transfer);
    void (*cube)(void* core, const tandem_cube_instruction* instruction);
    /* AIV and AIC cores (NULL on AICPU): the cross-core flags of the core's cluster (one AIC, two
     * AIVs), CANN's ffts_cross_core_sync / wait_flag_dev. A set is queued on `pipe` (not PIPE_S or
     * PIPE_ALL) and counts, when the pipe reaches it, on its cluster's cores: mode 2, from the AIC on
     * both AIVs, from the AIVs on the AIC once both have set; mode 1, on both AIVs once both have
     * set (mode 0, every core of the launch, is not modelled). A wait stalls the scalar unit until
     * the core's counter of `flag_id` (0 .. 15) is non-zero, then takes one count. */
    void (*cross_core_set)(void* core, uint32_t mode, uint32_t pipe, uint32_t flag_id);
    void (*cross_core_wait)(void* core, uint32_t flag_id);
    /* AIC cores only (NULL elsewhere): L0C -> a cluster AIV's UB on PIPE_FIX (tandem_fix_to_ub). */
    void (*fix_to_ub)(void* core, const tandem_fix_to_ub* transfer);
    /* AIV and AIC cores (NULL on AICPU): kernel code's own scalar accesses through __gm__
     * pointers. In simulation a kernel binary is instrumented so that each load (write 0) or
     * store (write 1) it makes through a pointer into [*begin, *begin + *bytes) of gm_window
     * calls gm_pointer_access first; the bytes then move on the host's mapping of HBM at its
     * device addresses. The model checks the access (the task's tensors, ordering against the
     * pipes' GM transfers) and charges and traces it as a scalar access through the core's
     * cache (docs/kernels.md, "Reading GM through pointers"). */
    void (*gm_window)(void* core, uint64_t* begin, uint64_t* bytes);
    void (*gm_pointer_access)(void* core, uint64_t address, uint64_t bytes, int write);
    /* AIV and AIC cores in simulation (NULL on AICPU and on a board): the running task's argument
     * words (each tensor's device address, then each scalar), loaded from its task-args blob with
     * scalar GM loads into memory that ends where they end, for the kernel entry adapter to hand
     * the kernel. A kernel that reads a word its task did not pass crashes the simulator with a
     * report naming the word, where an ordinary array would give it 0 (and a board whatever
     * follows the words in GM). */
    int64_t* (*task_argument_words)(void* core, uint64_t task_args);
} tandem_device_ops;

typedef enum tandem_core_type { TANDEM_CORE_AICPU = 0, TANDEM_CORE_AIV = 1, TANDEM_CORE_AIC = 2 } tandem_core_type;

typedef struct tandem_device_env {
    const tandem_device_ops* ops;
    void* core;           /* opaque, passed back to every op */
    uint32_t block_idx;   /* this block of the launch */
    uint32_t block_dim;   /* blocks in the launch */
    uint32_t physical_id; /* the core's physical index */
    uint32_t core_type;   /* tandem_core_type */
    uint64_t args;        /* device address of the launch's argument blob */
    uint64_t args_size;
} tandem_device_env;

/* Names the core type a device program is built for ("aicpu", "aiv" or "aic"), once per program. On a
 * board the file format says it (an aarch64 .so vs an AICore ELF); in simulation both are host
 * shared objects, so the simulator provider reads this marker and refuses a program loaded as
 * the other kind, as CANN does. */
#ifdef __cplusplus
#define TANDEM_DEVICE_PROGRAM(kind) \
    extern "C" __attribute__((visibility("default"))) const char tandem_device_program[] = kind
#else
#define TANDEM_DEVICE_PROGRAM(kind) __attribute__((visibility("default"))) const char tandem_device_program[] = kind
#endif

/* Every launchable device function (AICPU or AIV) has this signature. */
typedef void (*tandem_device_entry)(const tandem_device_env* env);

/* A scene kernel, called by the AIV executor with the device address of the task's
 * argument blob (runtime/kernel/task_args.h). aclrtGetFunctionAddr yields it. */
typedef void (*tandem_kernel_entry)(const tandem_device_env* env, uint64_t task_args);

#ifdef __cplusplus
}
#endif

#endif /* TANDEM_DEVICE_ABI_H */
