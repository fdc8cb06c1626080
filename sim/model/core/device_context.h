// What device code (the AICPU scheduler, the AIV executor, kernels) may do on a
// modelled core. Every operation charges modelled time. The runtime's device-side
// platform layer is implemented on top of this for the simulator target.
#pragma once

#include "sim/model/interconnect/address_map.h"
#include "sim/model/pipes/pipe_schedule.h"
#include "sim/model/trace/trace_format.h"

#include <cstdint>
#include <functional>
#include <optional>

namespace tandem::sim {

enum class PollUntil { Equal, NotEqual };
class AicoreContext;
class VectorCoreContext;
class CubeCoreContext;
inline constexpr uint64_t kWaitForever = UINT64_MAX;

class DeviceContext {
public:
    virtual ~DeviceContext() = default;

    virtual trace::InitiatorKind initiator_kind() const = 0;
    virtual uint32_t index() const = 0;
    // The core's physical id (tandem_device_env.physical_id): its index for AICPU threads and
    // AIV cores; aiv count + index for AIC cores, whose control-register windows follow the AIVs'.
    virtual uint32_t physical_id() const { return index(); }
    // The AIV face of this core, or null. A virtual call, because the ops bridge asks on
    // every MTE and vector op and a dynamic_cast across shared libraries compares names.
    virtual VectorCoreContext* vector_core() { return nullptr; }
    // The AIC face of this core, or null.
    virtual CubeCoreContext* cube_core() { return nullptr; }
    // What AIV and AIC cores share (pipes, flags, task arguments), or null on an AICPU.
    virtual AicoreContext* aicore() { return nullptr; }

    // Device time in picoseconds, including this core's decoupled local time.
    virtual uint64_t now_ps() const = 0;
    // The arch's system counter (a2a3 50 MHz, a5 1 GHz).
    virtual uint64_t system_counter() const = 0;
    // Time spent computing on the core itself.
    virtual void compute(uint64_t ps) = 0;
    // Idle for `ps`, to a whole ns, then a synchronisation point: the kernel is brought to
    // this core's time, so what other cores did before it is visible (device ABI pause_ns).
    virtual void pause(uint64_t ps) = 0;
    // Idle, looking every `period_ps` from now, until a look at or after another core's
    // announce_change() made at or after `since_ps`, or the first look at or after `until_ps`
    // (device ABI idle_wait).
    virtual void idle_wait(uint64_t period_ps, uint64_t since_ps, uint64_t until_ps) = 0;
    virtual void announce_change() = 0;

    // Scalar accesses (through the core's data cache for HBM; uncached across the host
    // link for host-mapped memory; AICPU only: 4-byte accesses to the MMIO window).
    virtual void load(uint64_t address, void* dst, uint64_t bytes) = 0;
    virtual void store(uint64_t address, const void* src, uint64_t bytes) = 0;
    // Bulk copy device address -> device address (uncached, bandwidth-limited).
    virtual void copy(uint64_t dst, uint64_t src, uint64_t bytes) = 0;

    template <typename T>
    T load_value(uint64_t address) {
        T value;
        load(address, &value, sizeof(T));
        return value;
    }
    template <typename T>
    void store_value(uint64_t address, T value) {
        store(address, &value, sizeof(T));
    }

    // Control registers of AIV core `core` at a window offset (the arch's DMB / COND /
    // FAST_PATH offsets). An AICPU may reach any core; an AICore only its own.
    virtual uint32_t reg_read(uint32_t core, uint32_t offset) = 0;
    virtual void reg_write(uint32_t core, uint32_t offset, uint32_t value) = 0;
    // Polls until (value & mask) compares Equal / NotEqual to `expected`; each poll is a
    // register load at the arch's cost. Returns the value, or nullopt on timeout.
    virtual std::optional<uint32_t> reg_poll(uint32_t core, uint32_t offset, uint32_t mask, uint32_t expected,
                                             PollUntil until, uint64_t timeout_ps = kWaitForever) = 0;

    virtual void barrier() = 0;
    // Cache maintenance over [address, address+bytes): clean writes dirty lines back,
    // invalidate drops lines so the next load goes to memory.
    virtual void cache_clean(uint64_t address, uint64_t bytes) = 0;
    virtual void cache_invalidate(uint64_t address, uint64_t bytes) = 0;

    // Attribution of the accesses that follow to task `task_id` (its index in the run's graph)
    // of run `run_id`, running the kernel at `kernel_address` (trace, timeline, fault messages).
    virtual void task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) = 0;
    virtual void task_end(uint32_t task_id) = 0;
};

// An MTE transfer of `rows` bursts of `row_bytes` (device ABI: tandem_mte_transfer).
struct MteTransfer {
    const char* name;
    bool to_gm;
    uint32_t rows, row_bytes;
    uint32_t ub_offset, ub_row_stride;
    uint64_t gm_address, gm_row_stride;
};

struct UbRange {
    uint32_t offset, bytes;
};

enum class VectorClass : uint32_t { Simple = 0, Convert = 1, Divide = 2, Transcendental = 3, Reduce = 4 };

// A vector instruction (device ABI: tandem_vector_instruction); its result is computed
// in UB by the caller.
struct VectorInstruction {
    const char* name;
    VectorClass cost_class;
    uint32_t rows;
    uint64_t bytes;
    const UbRange* reads;
    uint32_t read_count;
    const UbRange* writes;
    uint32_t write_count;
};

// What both kinds of AICore (AIV and AIC) have: pipes fed by the scalar unit, ordered
// only by flags and barriers, and the task-argument check of their GM transfers.
class AicoreContext : public virtual DeviceContext {
public:
    // Pipelined instructions are queued on their pipe, ordered only by flags and barriers;
    // an access racing an unordered access of another pipe is a modelled fault. A pipe the
    // core does not have is a modelled fault too.
    virtual void set_flag(Pipe source, Pipe destination, uint32_t event) = 0;
    virtual void wait_flag(Pipe source, Pipe destination, uint32_t event) = 0;
    virtual void pipe_barrier(Pipe pipe) = 0;
    // Cross-core flags inside the core's cluster (cross_core_flags.h): a set queued on `pipe`
    // in `mode` (1: the AIVs, 2: AIC <-> AIV), and a wait that stalls the scalar unit until a
    // count of `flag` has fired.
    virtual void cross_core_set(uint32_t mode, Pipe pipe, uint32_t flag) = 0;
    virtual void cross_core_wait(uint32_t flag) = 0;
    // The running task's task-args blob (runtime/platform/tensor_descriptor.h): from now on
    // until the task ends, a GM transfer outside the task's tensors is a modelled fault.
    virtual void declare_task_args(uint64_t task_args) = 0;
    // The running task's argument words, loaded from its task-args blob as scalar GM loads, where
    // its kernel reads them: a read past them is a crash that names the word (ArgumentWords).
    virtual int64_t* task_argument_words(uint64_t task_args) = 0;
    // The device addresses kernel code may dereference (the HBM's), and its load or store of
    // `bytes` through such a pointer, about to move on the host's mapping of HBM at its device
    // addresses: checked, charged and traced as a scalar access (device ABI gm_pointer_access).
    virtual AddressRange gm_window() const = 0;
    virtual void gm_pointer_access(uint64_t address, uint64_t bytes, bool write) = 0;
};

// AIV cores add the unified buffer, the MTE (GM <-> UB) and the vector unit.
class VectorCoreContext : public virtual AicoreContext {
public:
    virtual uint32_t ub_bytes() const = 0;
    // A pointer to [offset, offset+bytes) of UB; out of range is a modelled fault.
    virtual uint8_t* ub(uint32_t offset, uint32_t bytes) = 0;
    // Synchronous forms: the scalar unit waits for the transfer or operation.
    virtual void mte_gm_to_ub(uint32_t ub_offset, uint64_t gm_address, uint32_t bytes) = 0;
    virtual void mte_ub_to_gm(uint64_t gm_address, uint32_t ub_offset, uint32_t bytes) = 0;
    // Charges the vector unit for an operation streaming `bytes` through it.
    virtual void vector_op(uint64_t bytes) = 0;

    // Pipelined forms (PTO): queued on MTE2 / MTE3 / V.
    virtual void mte(const MteTransfer& transfer) = 0;
    virtual void vector(const VectorInstruction& instruction) = 0;
};

// The cube core's buffers (device ABI: tandem_cube_buffer).
enum class CubeBuffer : uint32_t { L1 = 0, L0A = 1, L0B = 2, L0C = 3, Bt = 4 };
inline constexpr uint32_t kCubeBufferCount = 5;
inline const char* cube_buffer_name(CubeBuffer buffer) {
    switch (buffer) {
        case CubeBuffer::L1: return "L1";
        case CubeBuffer::L0A: return "L0A";
        case CubeBuffer::L0B: return "L0B";
        case CubeBuffer::L0C: return "L0C";
        case CubeBuffer::Bt: return "BT";
    }
    return "an unknown cube buffer";
}

struct CubeRange {
    CubeBuffer buffer;
    uint32_t offset, bytes;
};

// A transfer between GM and a cube buffer (device ABI: tandem_cube_transfer): GM -> L1 on
// MTE2, L0C -> GM on FIX; the GM bytes move through the caller's dense `staging`.
struct CubeTransfer {
    const char* name;
    bool to_gm;
    uint32_t rows, row_bytes;
    uint64_t gm_address, gm_row_stride;
    uint8_t* staging;
    CubeRange tile;
};

// L0C -> the UB of one AIV of the AIC's cluster on PIPE_FIX (device ABI: tandem_fix_to_ub), on
// archs with that path: `rows` rows of `row_bytes` from the caller's dense `staging` to UB offset
// `ub_offset` + row * `ub_row_stride` of the cluster's AIV `subblock` (0 or 1). `tile` is the L0C
// range read.
struct FixToUb {
    const char* name;
    uint32_t subblock;
    uint32_t rows, row_bytes;
    uint32_t ub_offset, ub_row_stride;
    const uint8_t* staging;
    CubeRange tile;
};

enum class CubeClass : uint32_t { Move = 0, Matmul = 1 };
enum class CubeElement : uint32_t { F16 = 0, F32 = 1, Int8 = 2 };

// A cube instruction (device ABI: tandem_cube_instruction); its result is computed in the
// buffers by the caller.
struct CubeInstruction {
    const char* name;
    CubeClass cost_class;
    CubeElement element;
    uint32_t m, k, n;
    uint64_t bytes;
    const CubeRange* reads;
    uint32_t read_count;
    const CubeRange* writes;
    uint32_t write_count;
};

// AIC cores add L1, L0A, L0B and L0C, the MTE2 (GM -> L1), MTE1 (L1 -> L0A/L0B), the cube
// (PIPE_M) and the FIX pipe (L0C -> GM, and on some archs L0C -> a cluster AIV's UB).
class CubeCoreContext : public virtual AicoreContext {
public:
    // The buffer's capacity; 0 for a number that names no buffer.
    virtual uint32_t cube_buffer_bytes(CubeBuffer buffer) const = 0;
    // A pointer to [offset, offset+bytes) of `buffer`; out of range is a modelled fault.
    virtual uint8_t* cube_buffer(CubeBuffer buffer, uint32_t offset, uint32_t bytes) = 0;
    virtual void cube_transfer(const CubeTransfer& transfer) = 0;
    virtual void cube(const CubeInstruction& instruction) = 0;
    // Faults on an arch without the L0C -> UB path, outside a cluster or out of range.
    virtual void fix_to_ub(const FixToUb& transfer) = 0;
};

using DeviceProgram = std::function<void(DeviceContext&)>;

}  // namespace tandem::sim
