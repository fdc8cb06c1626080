// The board AICPU's device ABI. Built only for aarch64 (the AICPU's ISA): the
// barriers, cache maintenance and the system counter are single instructions.
#include "hw/aicpu/board_device_ops.h"

#include <cstring>

#if !defined(__aarch64__)
#error "hw/aicpu is the AICPU's aarch64 code: build it with an aarch64 compiler (cmake --preset board, docs/board.md)"
#endif

namespace tandem::hw {
namespace {

constexpr uint64_t kCacheLineBytes = 64;  // ascend-facts: 64 B lines on a2a3 and a5
constexpr uint64_t kNsPerSecond = 1'000'000'000;

BoardAicpuCore& board(void* core) { return *static_cast<BoardAicpuCore*>(core); }

// Completes every earlier memory access and cache maintenance before anything later:
// what a doorbell after a payload write, and a clean before a signal, need.
void data_synchronization_barrier() { asm volatile("dsb sy" ::: "memory"); }

// Orders an earlier load before every later load and store. A register value the caller
// acts on (COND = FIN, then the task's results are read) needs only this, not a dsb:
// nothing has to complete, later accesses merely must not overtake the load.
void load_barrier() { asm volatile("dmb ld" ::: "memory"); }

uint64_t read_counter() {
    uint64_t ticks;
    // isb: the counter is read here, not speculatively earlier among the accesses before it.
    asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(ticks)::"memory");
    return ticks;
}

volatile uint32_t* register_address(void* core, uint32_t aicore, uint32_t offset) {
    BoardAicpuCore& self = board(core);
    if (aicore >= self.register_base_count || self.register_bases[aicore] == 0) {
        if (self.missing_register_block == kNoMissingRegisterBlock) self.missing_register_block = aicore;
        return nullptr;
    }
    return reinterpret_cast<volatile uint32_t*>(self.register_bases[aicore] + offset);
}

uint64_t now_ns(void* core) {
    // Whole seconds and the remainder apart, so ticks * 1e9 never overflows.
    const uint64_t hz = board(core).system_counter_hz;
    const uint64_t ticks = read_counter();
    return ticks / hz * kNsPerSecond + ticks % hz * kNsPerSecond / hz;
}

uint64_t system_counter(void*) { return read_counter(); }

void compute_ns(void* core, uint64_t ns) {
    const uint64_t end = now_ns(core) + ns;
    while (now_ns(core) < end) asm volatile("yield");
}

// One look per call: the threads share coherent memory, and the caller looks again.
void idle_wait(void* core, uint64_t period_ns, uint64_t, uint64_t) { compute_ns(core, period_ns); }
void announce_change(void*) {}

void load(void*, uint64_t address, void* dst, uint64_t bytes) {
    std::memcpy(dst, reinterpret_cast<const void*>(address), bytes);
}

void store(void*, uint64_t address, const void* src, uint64_t bytes) {
    std::memcpy(reinterpret_cast<void*>(address), src, bytes);
}

void copy(void*, uint64_t dst, uint64_t src, uint64_t bytes) {
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes);
}

uint32_t reg_read(void* core, uint32_t aicore, uint32_t offset) {
    volatile uint32_t* reg = register_address(core, aicore, offset);
    if (!reg) return 0;
    const uint32_t value = *reg;
    load_barrier();
    return value;
}

void reg_write(void* core, uint32_t aicore, uint32_t offset, uint32_t value) {
    if (volatile uint32_t* reg = register_address(core, aicore, offset)) *reg = value;
}

int reg_poll(void* core, uint32_t aicore, uint32_t offset, uint32_t mask, uint32_t expected, int until_not_equal,
             uint64_t timeout_ns, uint32_t* value) {
    volatile uint32_t* reg = register_address(core, aicore, offset);
    if (!reg) return 0;
    const bool forever = timeout_ns == UINT64_MAX;
    const uint64_t deadline = forever ? 0 : now_ns(core) + timeout_ns;
    for (;;) {
        const uint32_t seen = *reg;
        if (((seen & mask) == expected) != (until_not_equal != 0)) {
            load_barrier();
            if (value) *value = seen;
            return 1;
        }
        if (!forever && now_ns(core) > deadline) return 0;
    }
}

void barrier(void*) { data_synchronization_barrier(); }

void cache_maintenance(void*, uint64_t address, uint64_t bytes) { clean_invalidate(address, bytes); }

void task_begin(void*, uint64_t, uint32_t, uint64_t) {}
void task_end(void*, uint32_t) {}

const tandem_device_ops kBoardAicpuOps = {
    TANDEM_DEVICE_ABI_VERSION,
    now_ns,
    system_counter,
    compute_ns,
    compute_ns,  // pause_ns: a delay; the threads share coherent memory
    idle_wait,
    announce_change,
    load,
    store,
    copy,
    reg_read,
    reg_write,
    reg_poll,
    barrier,
    cache_maintenance,  // clean: dc civac writes the lines back (and drops them)
    cache_maintenance,  // invalidate: civac, never a bare invalidate, so no dirty line is lost
    task_begin,
    task_end,
    nullptr,  // ub_bytes: AIV only
    nullptr,  // ub
    nullptr,  // mte
    nullptr,  // vector
    nullptr,  // set_flag
    nullptr,  // wait_flag
    nullptr,  // pipe_barrier
    nullptr,  // declare_task_args
    nullptr,  // cube_buffer_bytes: AIC only
    nullptr,  // cube_buffer
    nullptr,  // cube_transfer
    nullptr,  // cube
    nullptr,  // cross_core_set: AICores only
    nullptr,  // cross_core_wait
    nullptr,  // fix_to_ub: AIC only
    nullptr,  // gm_window: AICores only
    nullptr,  // gm_pointer_access
    nullptr,  // task_argument_words: AICores in simulation only
};

}  // namespace

void clean_invalidate(uint64_t address, uint64_t bytes) {
    const uint64_t end = address + bytes;
    for (uint64_t line = address & ~(kCacheLineBytes - 1); line < end; line += kCacheLineBytes) {
        asm volatile("dc civac, %0" ::"r"(line) : "memory");
    }
    data_synchronization_barrier();
}

const tandem_device_ops& board_aicpu_ops() { return kBoardAicpuOps; }

}  // namespace tandem::hw
