// --shard I/N: a deterministic split of the sorted scene x arch list over N
// machines. Shard I (1..N) takes the runs at positions p (0-based, in sorted
// order) with p % N == I - 1, so the N shards together run everything once.
#pragma once

#include <cstddef>
#include <string>

namespace tandem::harness {

struct Shard {
    size_t index = 1;  // 1..count
    size_t count = 1;
};

// "I/N" with 1 <= I <= N. Throws UsageError saying what is wrong.
Shard parse_shard(const std::string& text);

bool in_shard(const Shard& shard, size_t position);

}  // namespace tandem::harness
