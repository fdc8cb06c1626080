#include "runtime/host/l3/fork_inherited_memory.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tandem::runtime::l3 {
namespace {

const MemoryMapping* mapping_at(const std::vector<MemoryMapping>& mappings, uint64_t address) {
    auto it = std::upper_bound(mappings.begin(), mappings.end(), address,
                               [](uint64_t a, const MemoryMapping& m) { return a < m.begin; });
    if (it == mappings.begin()) return nullptr;
    --it;
    return address < it->end ? &*it : nullptr;
}

// Kernel-provided per-process pages ([vdso], [vvar], [vsyscall]) differ in every process.
bool per_process_special(const std::string& path) { return path.rfind("[v", 0) == 0; }

// The same mapping object at `address` in both lists: same file (or anonymous object),
// same offset into it, same sharing.
bool same_object(const MemoryMapping& a, const MemoryMapping& b, uint64_t address) {
    return a.shared == b.shared && a.inode == b.inode && a.device == b.device &&
           a.file_offset + (address - a.begin) == b.file_offset + (address - b.begin);
}

}  // namespace

std::vector<MemoryMapping> read_memory_mappings() {
    std::vector<MemoryMapping> mappings;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        // begin-end perms offset dev inode [path]
        std::istringstream fields(line);
        std::string range, perms, offset, device, path;
        uint64_t inode = 0;
        fields >> range >> perms >> offset >> device >> inode;
        std::getline(fields >> std::ws, path);
        const size_t dash = range.find('-');
        if (dash == std::string::npos || perms.size() < 4 || per_process_special(path)) continue;
        MemoryMapping m;
        m.begin = std::stoull(range.substr(0, dash), nullptr, 16);
        m.end = std::stoull(range.substr(dash + 1), nullptr, 16);
        m.file_offset = std::stoull(offset, nullptr, 16);
        m.inode = inode;
        m.device = device;
        m.readable = perms[0] == 'r';
        m.writable = perms[1] == 'w';
        m.shared = perms[3] == 's';
        mappings.push_back(std::move(m));
    }
    return mappings;
}

ForkInheritedMemory ForkInheritedMemory::snapshot(const std::vector<std::pair<uint64_t, uint64_t>>& excluded) {
    ForkInheritedMemory memory;
    for (MemoryMapping& m : read_memory_mappings()) {
        const bool overlaps_excluded = std::any_of(excluded.begin(), excluded.end(), [&](const auto& range) {
            return m.begin < range.second && range.first < m.end;
        });
        if (!overlaps_excluded) memory.at_fork_.push_back(std::move(m));
    }
    return memory;
}

InheritedRange ForkInheritedMemory::classify(uint64_t begin, uint64_t bytes,
                                             const std::vector<MemoryMapping>& now) const {
    if (bytes == 0 || begin > UINT64_MAX - bytes) return {};
    const uint64_t end = begin + bytes;
    InheritedRange result{Inheritance::None, true};
    // Walk the range piece by piece: each piece must lie in a fork-time mapping that
    // still holds the same object now, and all pieces must agree on sharing.
    for (uint64_t address = begin; address < end;) {
        const MemoryMapping* then = mapping_at(at_fork_, address);
        const MemoryMapping* current = mapping_at(now, address);
        if (!then || !current || !same_object(*then, *current, address) || !then->readable || !current->readable)
            return {};
        const Inheritance kind = then->shared ? Inheritance::Shared : Inheritance::Private;
        if (result.kind != Inheritance::None && result.kind != kind) return {};
        result.kind = kind;
        result.writable = result.writable && then->writable && current->writable;
        address = std::min(then->end, current->end);
    }
    return result;
}

bool readable_now(uint64_t begin, uint64_t bytes) {
    const std::vector<MemoryMapping> now = read_memory_mappings();
    if (bytes == 0 || begin > UINT64_MAX - bytes) return false;
    for (uint64_t address = begin; address < begin + bytes;) {
        const MemoryMapping* m = mapping_at(now, address);
        if (!m || !m->readable) return false;
        address = m->end;
    }
    return true;
}

uint64_t content_hash(const void* data, uint64_t bytes) {
    // FNV-1a over 8-byte words (then the tail), with a final avalanche.
    const auto* p = static_cast<const uint8_t*>(data);
    uint64_t hash = 0xcbf29ce484222325ull ^ bytes;
    uint64_t i = 0;
    for (; i + 8 <= bytes; i += 8) {
        uint64_t word;
        std::memcpy(&word, p + i, 8);
        hash = (hash ^ word) * 0x100000001b3ull;
        hash ^= hash >> 29;
    }
    for (; i < bytes; ++i) hash = (hash ^ p[i]) * 0x100000001b3ull;
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdull;
    hash ^= hash >> 33;
    return hash;
}

}  // namespace tandem::runtime::l3
