// The cross-core flags of the AICore clusters (one AIC and two AIVs each): CANN's
// CrossCoreSetFlag<mode, pipe>(flag) / CrossCoreWaitFlag(flag), the CCE intrinsics
// ffts_cross_core_sync / wait_flag_dev. Every core has a counter per flag id; a set adds to
// counters, a wait takes one count or blocks until there is one (CANN's AscendC reference,
// CrossCoreSetFlag: ids 0-15, a counter is set at most 16 times). The modes modelled, inside one
// cluster:
// - mode 2, AIC <-> AIV: the AIC's set counts on both AIVs; the AIC counts once both AIVs set;
// - mode 1, the AIVs: both AIVs count once both have set.
// Mode 0 (every core of a type in the launch) is not modelled. A count carries the time it
// fires (the setting pipe reached the set, plus the flag's latency): a wait takes the first count
// to fire, at once if one has, whatever order the simulation ran the cores in.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <systemc>
#include <vector>

namespace tandem::sim {

class CrossCoreFlags {
public:
    static constexpr uint32_t kFlagIds = 16;
    static constexpr uint32_t kMaxCounts = 16;

    // A core of a cluster: AIC `index` or AIV `index`.
    struct Member {
        bool aic;
        uint32_t index;
    };

    // Cluster c holds AIC c and AIVs 2c and 2c + 1; cores beyond the last full cluster are in none.
    CrossCoreFlags(uint32_t aic_count, uint32_t aiv_count);

    bool in_cluster(Member core) const;

    // A set by `from` in `mode` (1 or 2) of flag `flag` that fires at `fires_ps`; `kernel_ps` is
    // the simulation kernel's time. Returns what is wrong with it (empty: done): a mode the
    // setter cannot use, a counter already set kMaxCounts times.
    std::string set(Member from, uint32_t mode, uint32_t flag, uint64_t fires_ps, uint64_t kernel_ps);
    // When the earliest count of `flag` at `at` fires, if there is one.
    std::optional<uint64_t> earliest(Member at, uint32_t flag) const;
    // Takes the earliest count of `flag` at `at` (there must be one).
    void take_earliest(Member at, uint32_t flag);
    // Notified when a count of `at` fires (an sc_event keeps only its earliest pending
    // notification: a waiter also wakes at the earliest count it knows of).
    const sc_core::sc_event& counted(Member at) const { return slot(at).counted; }

private:
    struct Counter {
        std::vector<uint64_t> counts;                // fire times of the counts a wait may take
        std::array<std::deque<uint64_t>, 2> halves;  // sets of each AIV that still wait for the other's
    };
    struct Slot {
        std::array<Counter, kFlagIds> flags;
        sc_core::sc_event counted;
    };
    Slot& slot(Member core) { return slots_[slot_index(core)]; }
    const Slot& slot(Member core) const { return slots_[slot_index(core)]; }
    uint32_t slot_index(Member core) const { return core.aic ? aiv_count_ + core.index : core.index; }
    // Adds a count firing at `fires_ps` to `at`'s counter of `flag`.
    std::string count(Member at, uint32_t flag, uint64_t fires_ps, uint64_t kernel_ps);
    // An AIV's half of a set that counts once both AIVs of the cluster have set: on `at`.
    std::string half(Member at, uint32_t flag, uint32_t subblock, uint64_t fires_ps, uint64_t kernel_ps);

    uint32_t clusters_;
    uint32_t aiv_count_;
    std::vector<Slot> slots_;
};

}  // namespace tandem::sim
