// The post-fork host memory the chip children can see: buffers the worker created
// (shared memory that tasks use in place, zero-copy) and registrations of memory that
// already exists (mirrored through shared memory by the worker). Entries never
// overlap, and tokens are never reused, so a stale handle cannot reach a newer entry
// at the same address. Not locked itself: the Worker serialises every access.
#pragma once

#include "runtime/host/l3/shared_memory.h"
#include "runtime/host/l3/worker_types.h"

#include <map>
#include <memory>
#include <vector>

namespace tandem::runtime::l3 {

struct HostBufferEntry {
    uint64_t token = 0;
    bool registered = false;
    uint64_t begin = 0;  // the address tasks use: the created mapping, or the registered memory
    uint64_t bytes = 0;  // as asked for
    // Created: the buffer itself; registered: its mirror. Shared so that a created buffer's
    // mapping can outlive the entry while someone holds it (Worker::hold_buffer_memory).
    std::shared_ptr<SharedMemory> memory;
    uint32_t pins = 0;  // pending submissions that use it

    HostBuffer handle() const { return HostBuffer{token, reinterpret_cast<void*>(begin), bytes, registered}; }
    // The shared-memory byte behind task address `address` (inside this entry).
    uint8_t* shared(uint64_t address) const { return memory->data() + (address - begin); }
};

// "worker buffer #3 (0x..., 4096 bytes)" / "registration #4 (...)".
std::string describe(const HostBufferEntry& entry);

enum class RangeMatch { None, Inside, Straddles };

struct RangeLookup {
    RangeMatch match = RangeMatch::None;
    const HostBufferEntry* entry = nullptr;
};

class HostBufferRegistry {
public:
    const HostBufferEntry& create(uint64_t bytes);
    const HostBufferEntry& add_registration(void* pointer, uint64_t bytes);
    // The live entry `handle` names; throws std::invalid_argument for a stale or foreign
    // handle, naming `operation`.
    const HostBufferEntry& checked(const HostBuffer& handle, const char* operation) const;
    // Removes the entry `handle` names and hands it over (its memory goes when it is
    // dropped). Throws if the handle is stale, of the other kind, or the entry is pinned.
    HostBufferEntry remove(const HostBuffer& handle, const char* operation);

    // The entry holding [begin, begin + bytes), or one it straddles.
    RangeLookup find(uint64_t begin, uint64_t bytes) const;
    HostBufferEntry& at(uint64_t token) { return by_token_.at(token); }
    bool empty() const { return by_token_.empty(); }
    void clear();

private:
    const HostBufferEntry& insert(HostBufferEntry entry);

    std::map<uint64_t, HostBufferEntry> by_token_;
    std::map<uint64_t, uint64_t> by_address_;  // begin -> token; the ranges are disjoint
    uint64_t next_token_ = 1;
};

}  // namespace tandem::runtime::l3
