// What record fields mean beyond their layout (docs/trace-format.md), in one place for every
// memtrace command.
#pragma once

#include "sim/trace/trace_format.h"

#include <cstddef>

namespace tandem::memtrace {

inline bool is_access(trace::Op op) {
    return op == trace::Op::Read || op == trace::Op::Write;
}
// Alloc/Free: task_id holds the allocation id, address and size the allocation.
inline bool is_allocation_marker(trace::Op op) {
    return op == trace::Op::Alloc || op == trace::Op::Free;
}
// TaskBegin/TaskEnd: only time, task_id and initiator mean something.
inline bool is_task_marker(trace::Op op) {
    return op == trace::Op::TaskBegin || op == trace::Op::TaskEnd;
}

// Region `host` addresses are host virtual addresses; every other region's are device
// addresses. The two spaces may overlap numerically but never alias.
enum class AddressSpace : size_t { Device = 0, Host = 1 };
inline constexpr size_t kAddressSpaceCount = 2;
inline AddressSpace address_space(trace::Region region) {
    return region == trace::Region::Host ? AddressSpace::Host : AddressSpace::Device;
}

}  // namespace tandem::memtrace
