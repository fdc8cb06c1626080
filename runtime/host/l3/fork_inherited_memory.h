// Memory a chip child inherited through the fork: the parent's mappings at fork time,
// read from /proc/self/maps. A range counts as inherited only while the very same
// mappings still hold it (same start, file/inode and offset), so memory mapped after the
// fork at a reused address is not mistaken for it. Shared mappings (MAP_SHARED) are one
// memory for parent and children; private ones are a copy-on-write snapshot, so the
// child sees the bytes of fork time: the worker lets tasks read them only after the
// child has checked its bytes still equal the parent's (content_hash), and never write
// them (the parent would not see the result). docs/l3-worker.md, "Visibility".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::runtime::l3 {

struct MemoryMapping {
    uint64_t begin = 0, end = 0;
    uint64_t file_offset = 0;
    uint64_t inode = 0;
    std::string device;  // "major:minor"
    bool readable = false, writable = false, shared = false;
};

// This process's mappings, in address order.
std::vector<MemoryMapping> read_memory_mappings();

enum class Inheritance { None, Shared, Private };

struct InheritedRange {
    Inheritance kind = Inheritance::None;
    bool writable = false;
};

class ForkInheritedMemory {
public:
    ForkInheritedMemory() = default;
    // The mappings now (call right before forking), minus the [begin, end) ranges in
    // `excluded` (the worker's own mailboxes, which children do not keep).
    static ForkInheritedMemory snapshot(const std::vector<std::pair<uint64_t, uint64_t>>& excluded);

    // How [begin, begin + bytes) reached the children, judged against `now`, the mappings
    // at the time of asking (read once per submission).
    InheritedRange classify(uint64_t begin, uint64_t bytes, const std::vector<MemoryMapping>& now) const;

private:
    std::vector<MemoryMapping> at_fork_;
};

// Whether [begin, begin + bytes) is mapped readable in this process right now.
bool readable_now(uint64_t begin, uint64_t bytes);

// A 64-bit hash of `bytes` at `data`: the parent and a child compare private inherited
// memory with it (not cryptographic; it detects stale copies, not adversaries).
uint64_t content_hash(const void* data, uint64_t bytes);

}  // namespace tandem::runtime::l3
