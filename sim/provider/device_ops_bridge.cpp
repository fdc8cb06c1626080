#include "sim/provider/device_ops_bridge.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace tandem::provider {
namespace {

using sim::AicoreContext;
using sim::CubeCoreContext;
using sim::DeviceContext;
using sim::VectorCoreContext;

DeviceContext& context(void* core) { return *static_cast<DeviceContext*>(core); }
// Only AIV cores get the table with the vector ops, only AIC cores the one with the cube ops,
// and only AICores either: the face an op needs is always there.
VectorCoreContext& vector_core(void* core) { return *context(core).vector_core(); }
CubeCoreContext& cube_core(void* core) { return *context(core).cube_core(); }
AicoreContext& aicore(void* core) { return *context(core).aicore(); }

uint64_t ns_to_ps_saturating(uint64_t ns) {
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max() / 1000;
    return ns >= kMax ? sim::kWaitForever : ns * 1000;
}

uint64_t op_now_ns(void* core) { return context(core).now_ps() / 1000; }
uint64_t op_system_counter(void* core) { return context(core).system_counter(); }
void op_compute_ns(void* core, uint64_t ns) { context(core).compute(ns_to_ps_saturating(ns)); }
void op_pause_ns(void* core, uint64_t ns) { context(core).pause(ns_to_ps_saturating(ns)); }
void op_idle_wait(void* core, uint64_t period_ns, uint64_t since_ns, uint64_t until_ns) {
    context(core).idle_wait(ns_to_ps_saturating(period_ns), ns_to_ps_saturating(since_ns),
                            ns_to_ps_saturating(until_ns));
}
void op_announce_change(void* core) { context(core).announce_change(); }

void op_load(void* core, uint64_t address, void* dst, uint64_t bytes) { context(core).load(address, dst, bytes); }
void op_store(void* core, uint64_t address, const void* src, uint64_t bytes) {
    context(core).store(address, src, bytes);
}
void op_copy(void* core, uint64_t dst, uint64_t src, uint64_t bytes) { context(core).copy(dst, src, bytes); }

uint32_t op_reg_read(void* core, uint32_t aicore, uint32_t offset) { return context(core).reg_read(aicore, offset); }
void op_reg_write(void* core, uint32_t aicore, uint32_t offset, uint32_t value) {
    context(core).reg_write(aicore, offset, value);
}
int op_reg_poll(void* core, uint32_t aicore, uint32_t offset, uint32_t mask, uint32_t expected, int until_not_equal,
                uint64_t timeout_ns, uint32_t* value) {
    const auto result = context(core).reg_poll(
        aicore, offset, mask, expected, until_not_equal ? sim::PollUntil::NotEqual : sim::PollUntil::Equal,
        timeout_ns == UINT64_MAX ? sim::kWaitForever : ns_to_ps_saturating(timeout_ns));
    if (!result) return 0;
    if (value) *value = *result;
    return 1;
}

void op_barrier(void* core) { context(core).barrier(); }
void op_cache_clean(void* core, uint64_t address, uint64_t bytes) { context(core).cache_clean(address, bytes); }
void op_cache_invalidate(void* core, uint64_t address, uint64_t bytes) {
    context(core).cache_invalidate(address, bytes);
}
void op_task_begin(void* core, uint64_t run_id, uint32_t task_id, uint64_t kernel_address) {
    context(core).task_begin(run_id, task_id, kernel_address);
}
void op_task_end(void* core, uint32_t task_id) { context(core).task_end(task_id); }

uint32_t op_ub_bytes(void* core) { return vector_core(core).ub_bytes(); }
uint8_t* op_ub(void* core, uint32_t offset, uint32_t bytes) { return vector_core(core).ub(offset, bytes); }

static_assert(sizeof(sim::UbRange) == sizeof(tandem_ub_range) && offsetof(tandem_ub_range, bytes) == 4,
              "UB ranges cross the ABI unconverted");

void op_mte(void* core, const tandem_mte_transfer* transfer) {
    vector_core(core).mte({transfer->name, transfer->to_gm != 0, transfer->rows, transfer->row_bytes,
                           transfer->ub_offset, transfer->ub_row_stride, transfer->gm_address,
                           transfer->gm_row_stride});
}
void op_vector(void* core, const tandem_vector_instruction* instruction) {
    vector_core(core).vector({instruction->name, static_cast<sim::VectorClass>(instruction->cost_class),
                              instruction->rows, instruction->bytes,
                              reinterpret_cast<const sim::UbRange*>(instruction->reads), instruction->read_count,
                              reinterpret_cast<const sim::UbRange*>(instruction->writes), instruction->write_count});
}
// Pipe numbers beyond the enum stay out of range; the core names them in its fault.
sim::Pipe to_pipe(uint32_t pipe) { return static_cast<sim::Pipe>(std::min<uint32_t>(pipe, 0xff)); }
void op_set_flag(void* core, uint32_t source, uint32_t destination, uint32_t event) {
    aicore(core).set_flag(to_pipe(source), to_pipe(destination), event);
}
void op_wait_flag(void* core, uint32_t source, uint32_t destination, uint32_t event) {
    aicore(core).wait_flag(to_pipe(source), to_pipe(destination), event);
}
void op_pipe_barrier(void* core, uint32_t pipe) { aicore(core).pipe_barrier(to_pipe(pipe)); }
void op_declare_task_args(void* core, uint64_t task_args) { aicore(core).declare_task_args(task_args); }
int64_t* op_task_argument_words(void* core, uint64_t task_args) { return aicore(core).task_argument_words(task_args); }
void op_cross_core_set(void* core, uint32_t mode, uint32_t pipe, uint32_t flag) {
    aicore(core).cross_core_set(mode, to_pipe(pipe), flag);
}
void op_cross_core_wait(void* core, uint32_t flag) { aicore(core).cross_core_wait(flag); }
void op_gm_window(void* core, uint64_t* begin, uint64_t* bytes) {
    const sim::AddressRange window = aicore(core).gm_window();
    *begin = window.base;
    *bytes = window.size;
}
void op_gm_pointer_access(void* core, uint64_t address, uint64_t bytes, int write) {
    aicore(core).gm_pointer_access(address, bytes, write != 0);
}

// Buffer numbers beyond the enum stay out of range; the core names them in its fault.
sim::CubeBuffer to_buffer(uint32_t buffer) { return static_cast<sim::CubeBuffer>(buffer); }
sim::CubeRange to_range(const tandem_cube_range& range) { return {to_buffer(range.buffer), range.offset, range.bytes}; }
static_assert(sizeof(sim::CubeRange) == sizeof(tandem_cube_range) && offsetof(tandem_cube_range, offset) == 4 &&
                  offsetof(tandem_cube_range, bytes) == 8 && sizeof(sim::CubeBuffer) == sizeof(uint32_t),
              "cube ranges cross the ABI unconverted");
const sim::CubeRange* to_ranges(const tandem_cube_range* ranges) {
    return reinterpret_cast<const sim::CubeRange*>(ranges);
}

uint32_t op_cube_buffer_bytes(void* core, uint32_t buffer) {
    return cube_core(core).cube_buffer_bytes(to_buffer(buffer));
}
uint8_t* op_cube_buffer(void* core, uint32_t buffer, uint32_t offset, uint32_t bytes) {
    return cube_core(core).cube_buffer(to_buffer(buffer), offset, bytes);
}
void op_cube_transfer(void* core, const tandem_cube_transfer* transfer) {
    cube_core(core).cube_transfer({transfer->name, transfer->to_gm != 0, transfer->rows, transfer->row_bytes,
                                   transfer->gm_address, transfer->gm_row_stride,
                                   static_cast<uint8_t*>(transfer->staging), to_range(transfer->tile)});
}
void op_fix_to_ub(void* core, const tandem_fix_to_ub* transfer) {
    cube_core(core).fix_to_ub({transfer->name, transfer->subblock, transfer->rows, transfer->row_bytes,
                               transfer->ub_offset, transfer->ub_row_stride,
                               static_cast<const uint8_t*>(transfer->staging), to_range(transfer->tile)});
}
void op_cube(void* core, const tandem_cube_instruction* instruction) {
    cube_core(core).cube({instruction->name, static_cast<sim::CubeClass>(instruction->cost_class),
                          static_cast<sim::CubeElement>(instruction->element), instruction->m, instruction->k,
                          instruction->n, instruction->bytes, to_ranges(instruction->reads), instruction->read_count,
                          to_ranges(instruction->writes), instruction->write_count});
}

tandem_device_ops common_ops() {
    tandem_device_ops ops{};
    ops.abi_version = TANDEM_DEVICE_ABI_VERSION;
    ops.now_ns = op_now_ns;
    ops.system_counter = op_system_counter;
    ops.compute_ns = op_compute_ns;
    ops.pause_ns = op_pause_ns;
    ops.idle_wait = op_idle_wait;
    ops.announce_change = op_announce_change;
    ops.load = op_load;
    ops.store = op_store;
    ops.copy = op_copy;
    ops.reg_read = op_reg_read;
    ops.reg_write = op_reg_write;
    ops.reg_poll = op_reg_poll;
    ops.barrier = op_barrier;
    ops.cache_clean = op_cache_clean;
    ops.cache_invalidate = op_cache_invalidate;
    ops.task_begin = op_task_begin;
    ops.task_end = op_task_end;
    return ops;
}

// What every AICore (AIV and AIC) adds to the common ops: its pipes' ordering and the task's args.
tandem_device_ops aicore_ops() {
    tandem_device_ops ops = common_ops();
    ops.set_flag = op_set_flag;
    ops.wait_flag = op_wait_flag;
    ops.pipe_barrier = op_pipe_barrier;
    ops.declare_task_args = op_declare_task_args;
    ops.task_argument_words = op_task_argument_words;
    ops.cross_core_set = op_cross_core_set;
    ops.cross_core_wait = op_cross_core_wait;
    ops.gm_window = op_gm_window;
    ops.gm_pointer_access = op_gm_pointer_access;
    return ops;
}

}  // namespace

const tandem_device_ops& aicpu_device_ops() {
    static const tandem_device_ops ops = common_ops();
    return ops;
}

const tandem_device_ops& aiv_device_ops() {
    static const tandem_device_ops ops = [] {
        tandem_device_ops table = aicore_ops();
        table.ub_bytes = op_ub_bytes;
        table.ub = op_ub;
        table.mte = op_mte;
        table.vector = op_vector;
        return table;
    }();
    return ops;
}

const tandem_device_ops& aic_device_ops() {
    static const tandem_device_ops ops = [] {
        tandem_device_ops table = aicore_ops();
        table.cube_buffer_bytes = op_cube_buffer_bytes;
        table.cube_buffer = op_cube_buffer;
        table.cube_transfer = op_cube_transfer;
        table.cube = op_cube;
        table.fix_to_ub = op_fix_to_ub;
        return table;
    }();
    return ops;
}

const tandem_device_ops& device_ops(tandem_core_type core_type) {
    switch (core_type) {
        case TANDEM_CORE_AIV: return aiv_device_ops();
        case TANDEM_CORE_AIC: return aic_device_ops();
        case TANDEM_CORE_AICPU: break;
    }
    return aicpu_device_ops();
}

sim::DeviceProgram block_program(const BlockLaunch& launch) {
    return [launch](DeviceContext& core) {
        const tandem_device_env env{
            &device_ops(launch.core_type),
            static_cast<void*>(&core),
            launch.block_idx,
            launch.block_dim,
            core.physical_id(),
            static_cast<uint32_t>(launch.core_type),
            launch.args,
            launch.args_size,
        };
        launch.entry(&env);
    };
}

}  // namespace tandem::provider
