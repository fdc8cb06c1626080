// Streams, kernel launches and synchronisation on the chip model.
//
// A launch starts its device programs at once (Chip::launch) and returns, so launches
// on different streams run concurrently: the runtime starts the AICPU scheduler on one
// stream and the AIV executor on another, then synchronises both. Programs advance
// whenever the simulation runs: during any later host call that takes device time
// (copies, allocations, launches) and during synchronisation.
#pragma once

#include "runtime/vendor/acl_surface.h"
#include "sim/model/chip/chip.h"
#include "sim/provider/binaries.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tandem::provider {

// How many blocks of a launch returned normally; a block unwound by a fault does not count.
struct LaunchProgress {
    uint32_t blocks_completed = 0;
};

struct Launch {
    const Function* function;
    uint32_t block_dim;
    std::vector<sim::DeviceCore*> cores;
    uint64_t args_address;  // device copy of the argument blob, 0 if none
    std::shared_ptr<LaunchProgress> progress;
    bool completed() const { return progress->blocks_completed == block_dim; }
};

struct StreamError {
    aclError code;
    std::string message;
};

struct Stream {
    uint32_t id;
    std::vector<Launch> in_flight;     // launched, not yet synchronised
    std::optional<StreamError> error;  // reported by the next synchronisation
};

class StreamScheduler {
public:
    // `last_fault` receives the description of every device fault collected.
    StreamScheduler(sim::Chip& chip, std::string& last_fault);
    StreamScheduler(const StreamScheduler&) = delete;
    StreamScheduler& operator=(const StreamScheduler&) = delete;

    Stream& create();
    // NULL is the default stream.
    Stream& stream(aclrtStream handle);
    void destroy(aclrtStream handle);

    void launch(Stream& stream, const Function& function, uint32_t block_dim, const KernelArgs* args);
    // Runs the simulation until the stream's programs ended; `timeout_ps` of device time.
    void synchronize(Stream& stream, uint64_t timeout_ps);

    // Whether a launch not yet synchronised uses a function of `binary`.
    const Stream* stream_using(const Binary& binary) const;

    // Device reset: stops every running program, frees launch state, forgets streams.
    void release_all(const std::string& reason);

private:
    std::vector<sim::DeviceCore*> select_cores(const Function& function, uint32_t block_dim) const;
    const Stream* stream_running_on(const sim::DeviceCore* core) const;
    // After a device fault: wait until every aborted program unwound, give each stream
    // whose launch did not complete the error, and clear the chip's faults so the device
    // stays usable.
    void collect_faults();
    // Frees what the stream's finished launches held (their argument blobs).
    void retire(Stream& stream);

    sim::Chip& chip_;
    std::string& last_fault_;
    std::map<const void*, std::unique_ptr<Stream>> streams_;
    std::unique_ptr<Stream> default_stream_;
    uint32_t next_stream_id_ = 1;
};

}  // namespace tandem::provider
