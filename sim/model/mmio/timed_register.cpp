#include "sim/model/mmio/timed_register.h"

#include "sim/model/core/time.h"

#include <algorithm>

namespace tandem::sim {

uint32_t TimedRegister::value_at(uint64_t time_ps) const {
    uint32_t value = settled_;
    for (const Pending& write : pending_) {
        if (write.visible_ps > time_ps) break;
        value = write.value;
    }
    return value;
}

void TimedRegister::settle(uint64_t now) {
    // No reader is behind global time, so writes visible by now are history.
    while (!pending_.empty() && pending_.front().visible_ps <= now) {
        settled_ = pending_.front().value;
        pending_.pop_front();
    }
}

void TimedRegister::write(uint32_t value, uint64_t visible_ps) {
    const uint64_t now = now_ps();
    settle(now);
    const auto position = std::upper_bound(pending_.begin(), pending_.end(), visible_ps,
                                           [](uint64_t t, const Pending& p) { return t < p.visible_ps; });
    pending_.insert(position, Pending{visible_ps, value});
    last_write_visible_ps_ = visible_ps;
    changed_.notify(ps_time(visible_ps > now ? visible_ps - now : 0));
}

void TimedRegister::reset(uint32_t value) {
    pending_.clear();
    settled_ = value;
}

std::optional<uint64_t> TimedRegister::next_change_after(uint64_t time_ps) const {
    for (const Pending& write : pending_) {
        if (write.visible_ps > time_ps) return write.visible_ps;
    }
    return std::nullopt;
}

}  // namespace tandem::sim
