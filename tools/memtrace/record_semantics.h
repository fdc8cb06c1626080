// What record fields mean beyond their layout (docs/trace-format.md), in one place for every
// memtrace command.
#pragma once

#include "sim/model/trace/trace_format.h"

#include <cstddef>
#include <cstdint>

namespace tandem::memtrace {

inline bool is_access(trace::Op op) { return op == trace::Op::Read || op == trace::Op::Write; }
// Alloc/Free: task_id holds the allocation id, address and size the allocation.
inline bool is_allocation_marker(trace::Op op) { return op == trace::Op::Alloc || op == trace::Op::Free; }
// TaskBegin/TaskEnd: time, initiator, task_id, the run (address) and the kernel id (size).
inline bool is_task_marker(trace::Op op) { return op == trace::Op::TaskBegin || op == trace::Op::TaskEnd; }
inline uint64_t marker_run(const trace::Record& marker) { return marker.address; }
inline uint32_t marker_kernel(const trace::Record& marker) { return marker.size; }

// A task is known by its run and its index in that run's graph.
struct TaskKey {
    uint64_t run = 0;
    uint32_t id = 0;
    bool operator<(const TaskKey& other) const { return run != other.run ? run < other.run : id < other.id; }
    bool operator==(const TaskKey& other) const { return run == other.run && id == other.id; }
};

// Region `host` addresses are host locations (buffer number and offset); every other region's
// are device addresses. The two spaces may overlap numerically but never alias.
enum class AddressSpace : size_t { Device = 0, Host = 1 };
inline constexpr size_t kAddressSpaceCount = 2;
inline AddressSpace address_space(trace::Region region) {
    return region == trace::Region::Host ? AddressSpace::Host : AddressSpace::Device;
}

}  // namespace tandem::memtrace
