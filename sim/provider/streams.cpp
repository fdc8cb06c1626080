#include "sim/provider/streams.h"

#include "sim/model/core/time.h"
#include "sim/provider/acl_error.h"
#include "sim/provider/device_ops_bridge.h"
#include "sim/provider/format.h"

#include <algorithm>

namespace tandem::provider {
namespace {

// A device fault becomes the aclError CANN reports for the failing unit
// (rt_error_codes.h): an AICPU exception, an AICore (cube core) exception, a vector-core
// exception, or a vector-core timeout when the device stopped making progress.
aclError code_for(const sim::DeviceFault& fault) {
    if (fault.kind == sim::FaultKind::DeviceHang) return ACL_ERROR_RT_VECTOR_CORE_TIMEOUT;
    if (fault.initiator.rfind("aicpu", 0) == 0) return ACL_ERROR_RT_AICPU_EXCEPTION;
    if (fault.initiator.rfind("aic", 0) == 0) return ACL_ERROR_RT_AICORE_EXCEPTION;
    return ACL_ERROR_RT_VECTOR_CORE_EXCEPTION;
}

// Where the blocks of a function's launch run: block i on core i of this kind.
struct LaunchTarget {
    tandem_core_type core_type;
    const char* cores;  // "AIV cores"
    const char* core;   // "AIV core"
    uint32_t (sim::Chip::*count_of)() const;
    uint32_t count(const sim::Chip& chip) const { return (chip.*count_of)(); }
};

LaunchTarget launch_target(FunctionKind kind) {
    switch (kind) {
        case FunctionKind::Aiv: return {TANDEM_CORE_AIV, "AIV cores", "AIV core", &sim::Chip::aiv_count};
        case FunctionKind::Aic: return {TANDEM_CORE_AIC, "AIC cores", "AIC core", &sim::Chip::aic_count};
        case FunctionKind::Aicpu: break;
    }
    return {TANDEM_CORE_AICPU, "AICPU threads", "AICPU thread", &sim::Chip::aicpu_count};
}

std::string stream_name(const Stream& stream) {
    return stream.id == 0 ? std::string("the default stream") : "stream " + std::to_string(stream.id);
}

std::string kernel_text(const Launch& launch) {
    return "kernel '" + launch.function->kernel_name + "' of '" + launch.function->binary->path + "'";
}

}  // namespace

StreamScheduler::StreamScheduler(sim::Chip& chip, std::string& last_fault) : chip_(chip), last_fault_(last_fault) {}

Stream& StreamScheduler::create() {
    auto stream = std::make_unique<Stream>();
    stream->id = next_stream_id_++;
    Stream& result = *stream;
    streams_.emplace(&result, std::move(stream));
    return result;
}

Stream& StreamScheduler::stream(aclrtStream handle) {
    if (!handle) {
        // CANN: a NULL stream is the default stream.
        if (!default_stream_) default_stream_ = std::make_unique<Stream>(Stream{0, {}, std::nullopt});
        return *default_stream_;
    }
    const auto it = streams_.find(handle);
    if (it == streams_.end()) {
        fail(ACL_ERROR_RT_INVALID_HANDLE, "stream " + hex(handle) +
                                              " is not a live stream of this device (destroyed, or the device was "
                                              "reset?); create one with aclrtCreateStream");
    }
    return *it->second;
}

void StreamScheduler::destroy(aclrtStream handle) {
    if (!handle) fail(ACL_ERROR_INVALID_PARAM, "stream is NULL; the default stream cannot be destroyed");
    Stream& target = stream(handle);
    for (const Launch& launch : target.in_flight) {
        for (const sim::DeviceCore* core : launch.cores) {
            if (core->busy()) {
                // CANN aclrtDestroyStream: synchronise the stream before destroying it.
                fail(ACL_ERROR_RT_PARAM_INVALID, stream_name(target) + " still runs " + kernel_text(launch) + " on " +
                                                     core->initiator_name() +
                                                     "; call aclrtSynchronizeStream before aclrtDestroyStream");
            }
        }
    }
    collect_faults();
    retire(target);
    streams_.erase(handle);
}

std::vector<sim::DeviceCore*> StreamScheduler::select_cores(const Function& function, uint32_t block_dim) const {
    std::vector<sim::DeviceCore*> cores;
    for (uint32_t block = 0; block < block_dim; ++block) {
        sim::DeviceCore* core = nullptr;
        switch (function.kind) {
            case FunctionKind::Aiv: core = &chip_.aiv(block); break;
            case FunctionKind::Aic: core = &chip_.aic(block); break;
            case FunctionKind::Aicpu: core = &chip_.aicpu(block); break;
        }
        if (core->busy()) {
            const Stream* owner = stream_running_on(core);
            fail(ACL_ERROR_RT_PARAM_INVALID,
                 core->initiator_name() + " (block " + std::to_string(block) +
                     ") is still running a kernel launched on " +
                     (owner ? stream_name(*owner) : std::string("another stream")) +
                     "; launches on different streams run concurrently and need distinct cores: synchronise that "
                     "stream first or use a smaller blockDim");
        }
        cores.push_back(core);
    }
    return cores;
}

const Stream* StreamScheduler::stream_running_on(const sim::DeviceCore* core) const {
    const auto uses = [core](const Stream& stream) {
        for (const Launch& launch : stream.in_flight) {
            if (std::find(launch.cores.begin(), launch.cores.end(), core) != launch.cores.end()) return true;
        }
        return false;
    };
    if (default_stream_ && uses(*default_stream_)) return default_stream_.get();
    for (const auto& [handle, stream] : streams_) {
        if (uses(*stream)) return stream.get();
    }
    return nullptr;
}

void StreamScheduler::launch(Stream& stream, const Function& function, uint32_t block_dim, const KernelArgs* args) {
    const LaunchTarget target = launch_target(function.kind);
    const uint32_t available = target.count(chip_);
    if (block_dim == 0) fail(ACL_ERROR_RT_PARAM_INVALID, "blockDim must be at least 1");
    if (block_dim > available) {
        fail(ACL_ERROR_RT_PARAM_INVALID, "blockDim " + std::to_string(block_dim) + " exceeds the " +
                                             std::to_string(available) + " " + target.cores + " of the simulated " +
                                             chip_.config().arch + " (block i runs on " + target.core + " i)");
    }
    if (args && args->function != &function) {
        fail(ACL_ERROR_INVALID_PARAM, "argsHandle was created for kernel '" + args->function->kernel_name +
                                          "', not for '" + function.kernel_name + "' (aclrtKernelArgsInit)");
    }
    if (args && !args->finalized) {
        fail(ACL_ERROR_INVALID_PARAM,
             "the argument list is not finalized; call aclrtKernelArgsFinalize before "
             "launching");
    }
    // Stream order: a kernel runs after the kernels launched before it on the same stream.
    if (!stream.in_flight.empty()) synchronize(stream, sim::kWaitForever);
    if (stream.error) {
        const StreamError error = *std::exchange(stream.error, std::nullopt);
        fail(error.code, "an earlier kernel on " + stream_name(stream) + " failed: " + error.message);
    }

    chip_.host_delay(sim::ns_to_ps(chip_.config().costs.host_launch_ns));
    uint64_t args_address = 0;
    const uint64_t args_size = args ? args->blob.size() : 0;
    if (args_size) {
        try {
            args_address = chip_.malloc(args_size);
        } catch (const sim::DeviceFaultError& error) {
            fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
                 std::string("no device memory for the kernel arguments: ") + error.what());
        }
        // The arguments travel from the driver's own (pinned) launch buffer.
        chip_.copy(sim::DmaEndpoint::device(args_address),
                   sim::DmaEndpoint::pinned_host(const_cast<uint8_t*>(args->blob.data())), args_size);
    }
    // A fault still recorded would abort the new programs at once.
    collect_faults();
    std::vector<sim::DeviceCore*> cores;
    try {
        cores = select_cores(function, block_dim);
    } catch (...) {
        if (args_address) chip_.free(args_address);
        throw;
    }

    auto progress = std::make_shared<LaunchProgress>();
    std::vector<std::pair<sim::DeviceCore*, sim::DeviceProgram>> programs;
    for (uint32_t block = 0; block < block_dim; ++block) {
        const sim::DeviceProgram body =
            block_program(BlockLaunch{function.entry, target.core_type, block, block_dim, args_address, args_size});
        programs.emplace_back(cores[block], [body, progress](sim::DeviceContext& core) {
            body(core);
            ++progress->blocks_completed;
        });
    }
    // Only the launched AICores' DMB is reset ("a kernel launch resets DMB to 0"), so an AIV or
    // AIC launch never disturbs registers an AICPU scheduler on another stream is using.
    chip_.launch(programs, sim::Chip::RegisterReset::LaunchedAicores);
    stream.in_flight.push_back(Launch{&function, block_dim, std::move(cores), args_address, std::move(progress)});
}

void StreamScheduler::synchronize(Stream& stream, uint64_t timeout_ps) {
    if (!stream.in_flight.empty()) {
        std::vector<sim::DeviceCore*> cores;
        for (const Launch& launch : stream.in_flight)
            cores.insert(cores.end(), launch.cores.begin(), launch.cores.end());
        if (!chip_.wait_idle(cores, timeout_ps)) {
            std::string running;
            for (const sim::DeviceCore* core : cores) {
                if (core->busy()) running += (running.empty() ? "" : ", ") + core->initiator_name();
            }
            fail(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
                 stream_name(stream) + " did not finish within " + sim_time_text(timeout_ps) +
                     " of simulated device time (the timeout counts device time, not wall-clock time, so it is "
                     "deterministic); still running: " +
                     running + " at sim time " + sim_time_text(chip_.now_ps()) + "; synchronise again to keep waiting");
        }
        collect_faults();
        retire(stream);
    }
    if (stream.error) {
        const StreamError error = *std::exchange(stream.error, std::nullopt);
        fail(error.code, error.message);
    }
}

void StreamScheduler::collect_faults() {
    if (chip_.faults().empty()) return;
    // A fault aborts every running program; wait until all of them unwound.
    chip_.wait_idle();
    const std::vector<sim::DeviceFault> faults = chip_.faults();
    const sim::DeviceFault& first = faults.front();
    std::string where;
    const auto find_kernel = [&](const Stream& stream) {
        for (const Launch& launch : stream.in_flight) {
            for (const sim::DeviceCore* core : launch.cores) {
                if (where.empty() && core->initiator_name() == first.initiator) {
                    where = " (" + kernel_text(launch) + ", block " +
                            std::to_string(std::find(launch.cores.begin(), launch.cores.end(), core) -
                                           launch.cores.begin()) +
                            ", on " + stream_name(stream) + ")";
                }
            }
        }
    };
    if (default_stream_) find_kernel(*default_stream_);
    for (const auto& [handle, stream] : streams_) find_kernel(*stream);

    std::string message = first.describe() + where;
    if (faults.size() > 1) message += "; " + std::to_string(faults.size() - 1) + " further fault(s) followed";
    message += ". Every running device program was stopped; the device stays usable for new launches";
    last_fault_ = first.describe() + where;
    const StreamError error{code_for(first), message};

    const auto settle = [&](Stream& stream) {
        const bool affected = std::any_of(stream.in_flight.begin(), stream.in_flight.end(),
                                          [](const Launch& launch) { return !launch.completed(); });
        if (affected && !stream.error) stream.error = error;
        retire(stream);
    };
    if (default_stream_) settle(*default_stream_);
    for (const auto& [handle, stream] : streams_) settle(*stream);
    chip_.clear_faults();
}

void StreamScheduler::retire(Stream& stream) {
    for (const Launch& launch : stream.in_flight) {
        if (launch.args_address) chip_.free(launch.args_address);
    }
    stream.in_flight.clear();
}

const Stream* StreamScheduler::stream_using(const Binary& binary) const {
    // Any running device code may call a binary whose entries were handed out as addresses.
    const auto uses = [&binary](const Stream& stream) {
        return std::any_of(stream.in_flight.begin(), stream.in_flight.end(), [&binary](const Launch& launch) {
            return launch.function->binary == &binary || binary.called_through_addresses;
        });
    };
    if (default_stream_ && uses(*default_stream_)) return default_stream_.get();
    for (const auto& [handle, stream] : streams_) {
        if (uses(*stream)) return stream.get();
    }
    return nullptr;
}

void StreamScheduler::release_all(const std::string& reason) {
    chip_.abort_programs(reason);
    chip_.clear_faults();
    if (default_stream_) retire(*default_stream_);
    for (const auto& [handle, stream] : streams_) retire(*stream);
    default_stream_.reset();
    streams_.clear();
}

}  // namespace tandem::provider
