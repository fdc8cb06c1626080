// What scalar stores that are still ahead of the kernel's time overwrote, so that a core whose
// local time is earlier reads memory as it was at its own time (issue 17, quantum invariance).
//
// Under temporal decoupling a core runs up to a quantum ahead of the kernel and its scalar stores
// reach memory (DMI) at once. A core that synchronises and then loads (a poll after a cache
// invalidate) may therefore find a store made at a later simulated time than its own: at a quantum
// longer than a handshake's period a writer signals the next round before the poller saw this one.
// Each store keeps the bytes it overwrote until the kernel's time passes the store's time; by then
// every core's local time is past it too and the entry can go.
//
// Stores are undone in the reverse of the order they were made. Two cores storing to one word
// within one quantum of each other without any ordering between them race on silicon as well;
// the model keeps the order in which the stores were made.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

namespace tandem::sim {

class StoreHistory {
public:
    // A store of `bytes` at `address` made at `store_ps`, which overwrote `overwritten`.
    // `kernel_ps` is the kernel's time now (entries at or before it are dropped).
    void record(uint64_t address, const void* overwritten, uint64_t bytes, uint64_t store_ps, uint64_t kernel_ps);
    // `data` holds what memory holds now at [address, address + bytes); rewrites it to what memory
    // held at `reader_ps`, undoing every recorded store made after that time.
    void rewind(uint64_t address, void* data, uint64_t bytes, uint64_t reader_ps, uint64_t kernel_ps);
    std::size_t pending() const { return entries_.size(); }

private:
    struct Entry {
        uint64_t address;
        uint64_t store_ps;
        std::vector<uint8_t> overwritten;
    };
    void forget_before(uint64_t kernel_ps);

    std::deque<Entry> entries_;  // in the order the stores were made
    uint64_t latest_store_ps_ = 0;
};

}  // namespace tandem::sim
