// A cache line fill or write-back is modelled as a timing-only transaction: the data
// already moved (the caches are timing models over always-current memory), but the
// memory and the link must still see the traffic. It is a TLM_IGNORE_COMMAND payload
// carrying this extension to say which way the bytes would flow.
#pragma once

#include <tlm>

namespace tandem::sim {

struct TimingOnly : tlm::tlm_extension<TimingOnly> {
    bool write = false;

    tlm::tlm_extension_base* clone() const override { return new TimingOnly(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        write = static_cast<const TimingOnly&>(other).write;
    }
};

// True when the payload writes memory (for timing): a write command, or a timing-only write.
inline bool is_write_traffic(tlm::tlm_generic_payload& payload) {
    if (payload.get_command() == tlm::TLM_WRITE_COMMAND) return true;
    TimingOnly* timing = nullptr;
    payload.get_extension(timing);
    return timing && timing->write;
}

}  // namespace tandem::sim
