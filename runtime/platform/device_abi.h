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

#define TANDEM_DEVICE_ABI_VERSION 2u

typedef struct tandem_device_ops {
    uint32_t abi_version;
    /* time */
    uint64_t (*now_ns)(void* core);
    uint64_t (*system_counter)(void* core);
    void (*compute_ns)(void* core, uint64_t ns);
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
    int (*reg_poll)(void* core, uint32_t aicore, uint32_t offset, uint32_t mask, uint32_t expected,
                    int until_not_equal, uint64_t timeout_ns, uint32_t* value);
    void (*barrier)(void* core);
    void (*cache_clean)(void* core, uint64_t address, uint64_t bytes);
    void (*cache_invalidate)(void* core, uint64_t address, uint64_t bytes);
    /* attribution of the accesses that follow to task `task_id` (its index in the run's graph)
     * of run `run_id`, running the kernel at `kernel_address` (trace, timeline, fault messages) */
    void (*task_begin)(void* core, uint64_t run_id, uint32_t task_id, uint64_t kernel_address);
    void (*task_end)(void* core, uint32_t task_id);
    /* AIV cores only (NULL on AICPU): unified buffer, MTE, vector unit */
    uint32_t (*ub_bytes)(void* core);
    uint8_t* (*ub)(void* core, uint32_t offset, uint32_t bytes);
    void (*mte_gm_to_ub)(void* core, uint32_t ub_offset, uint64_t gm_address, uint32_t bytes);
    void (*mte_ub_to_gm)(void* core, uint64_t gm_address, uint32_t ub_offset, uint32_t bytes);
    void (*vector_op)(void* core, uint64_t bytes);
} tandem_device_ops;

typedef enum tandem_core_type { TANDEM_CORE_AICPU = 0, TANDEM_CORE_AIV = 1 } tandem_core_type;

typedef struct tandem_device_env {
    const tandem_device_ops* ops;
    void* core;            /* opaque, passed back to every op */
    uint32_t block_idx;    /* this block of the launch */
    uint32_t block_dim;    /* blocks in the launch */
    uint32_t physical_id;  /* the core's physical index */
    uint32_t core_type;    /* tandem_core_type */
    uint64_t args;         /* device address of the launch's argument blob */
    uint64_t args_size;
} tandem_device_env;

/* Every launchable device function (AICPU or AIV) has this signature. */
typedef void (*tandem_device_entry)(const tandem_device_env* env);

/* A scene kernel, called by the AIV executor with the device address of the task's
 * argument blob (runtime/kernel/task_args.h). aclrtGetFunctionAddr yields it. */
typedef void (*tandem_kernel_entry)(const tandem_device_env* env, uint64_t task_args);

#ifdef __cplusplus
}
#endif

#endif /* TANDEM_DEVICE_ABI_H */
