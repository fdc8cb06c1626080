#include "runtime/host/l3/host_buffer_registry.h"

#include "common/hex.h"

#include <stdexcept>

namespace tandem::runtime::l3 {

std::string describe(const HostBufferEntry& e) {
    return std::string(e.registered ? "registration" : "worker buffer") + " #" + std::to_string(e.token) + " (" +
           hex(e.begin) + ", " + std::to_string(e.bytes) + " bytes)";
}

const HostBufferEntry& HostBufferRegistry::insert(HostBufferEntry entry) {
    const uint64_t token = entry.token, begin = entry.begin;
    const HostBufferEntry& stored = by_token_.emplace(token, std::move(entry)).first->second;
    by_address_.emplace(begin, token);
    return stored;
}

const HostBufferEntry& HostBufferRegistry::create(uint64_t bytes) {
    if (bytes == 0) throw std::invalid_argument("create_buffer: nbytes must be at least 1");
    HostBufferEntry entry;
    entry.token = next_token_++;
    entry.memory = std::make_shared<SharedMemory>(
        SharedMemory::create(bytes, std::string(kSharedMemoryPrefix) + "buffer-" + std::to_string(entry.token)));
    entry.begin = reinterpret_cast<uint64_t>(entry.memory->data());
    entry.bytes = bytes;
    return insert(std::move(entry));
}

const HostBufferEntry& HostBufferRegistry::add_registration(void* pointer, uint64_t bytes) {
    const uint64_t begin = reinterpret_cast<uint64_t>(pointer);
    if (!pointer || bytes == 0)
        throw std::invalid_argument("register_host_buffer: needs a non-null pointer and nbytes >= 1");
    if (begin > UINT64_MAX - bytes) throw std::invalid_argument("register_host_buffer: pointer + nbytes overflows");
    const RangeLookup existing = find(begin, bytes);
    if (existing.entry) {
        throw std::invalid_argument("register_host_buffer(" + hex(begin) + ", " + std::to_string(bytes) +
                                    "): overlaps " + describe(*existing.entry) +
                                    "; unregister it first, or use views of it (worker buffers need no registration)");
    }
    HostBufferEntry entry;
    entry.token = next_token_++;
    entry.registered = true;
    entry.begin = begin;
    entry.bytes = bytes;
    entry.memory = std::make_shared<SharedMemory>(
        SharedMemory::create(bytes, std::string(kSharedMemoryPrefix) + "mirror-" + std::to_string(entry.token)));
    return insert(std::move(entry));
}

const HostBufferEntry& HostBufferRegistry::checked(const HostBuffer& handle, const char* operation) const {
    const auto it = by_token_.find(handle.token);
    const uint64_t begin = reinterpret_cast<uint64_t>(handle.data);
    if (it == by_token_.end() || it->second.begin != begin || it->second.bytes != handle.nbytes ||
        it->second.registered != handle.registered) {
        std::string message = std::string(operation) + ": stale handle (token " + std::to_string(handle.token) + ", " +
                              hex(begin) + ", " + std::to_string(handle.nbytes) + " bytes): ";
        const RangeLookup now = find(begin, 1);
        message += it == by_token_.end() ? "it was already released" : "the token belongs to another buffer";
        if (now.entry)
            message +=
                "; " + hex(begin) + " now belongs to " + describe(*now.entry) + ", which this handle cannot release";
        throw std::invalid_argument(message);
    }
    return it->second;
}

HostBufferEntry HostBufferRegistry::remove(const HostBuffer& handle, const char* operation) {
    const HostBufferEntry& entry = checked(handle, operation);
    if (entry.pins) {
        throw std::logic_error(std::string(operation) + ": " + describe(entry) + " is used by " +
                               std::to_string(entry.pins) + " pending submission(s); wait() for them first");
    }
    by_address_.erase(entry.begin);
    auto node = by_token_.extract(entry.token);
    return std::move(node.mapped());
}

RangeLookup HostBufferRegistry::find(uint64_t begin, uint64_t bytes) const {
    const uint64_t end = bytes > UINT64_MAX - begin ? UINT64_MAX : begin + bytes;
    // The candidate is the last entry starting before `end`; entries are disjoint.
    auto it = by_address_.lower_bound(end);
    if (it == by_address_.begin()) return {};
    const HostBufferEntry& entry = by_token_.at(std::prev(it)->second);
    const uint64_t entry_end = entry.begin + entry.bytes;
    if (entry_end <= begin) return {};
    const bool inside = entry.begin <= begin && end <= entry_end;
    return RangeLookup{inside ? RangeMatch::Inside : RangeMatch::Straddles, &entry};
}

void HostBufferRegistry::clear() {
    by_address_.clear();
    by_token_.clear();
}

}  // namespace tandem::runtime::l3
