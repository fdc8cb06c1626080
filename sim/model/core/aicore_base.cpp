#include "sim/model/core/aicore_base.h"

#include "sim/model/core/time.h"
#include "sim/model/fault/fault_injection.h"

#include <algorithm>

namespace tandem::sim {
namespace {

std::string core_kind_text(trace::InitiatorKind kind) {
    return kind == trace::InitiatorKind::Aic ? "an AIC core" : "an AIV core";
}

}  // namespace

AicoreBase::AicoreBase(sc_core::sc_module_name name, const CoreEnvironment& environment, trace::InitiatorKind kind,
                       uint32_t index, uint32_t physical_id, std::initializer_list<Pipe> pipes, uint64_t issue_ps)
    : DeviceCore(name, environment, kind, index,
                 CoreCosts{ns_to_ps(environment.config.costs.aicore_cache_hit_ns), 0,
                           ns_to_ps(environment.config.costs.aicore_reg_load_ns),
                           ns_to_ps(environment.config.costs.aicore_reg_store_ns)}),
      physical_id_(physical_id),
      cluster_member_{kind == trace::InitiatorKind::Aic, index},
      cross_core_flag_ps_(ns_to_ps(environment.config.costs.cross_core_flag_ns)),
      pipes_it_has_(pipes),
      issue_ps_(issue_ps) {}

void AicoreBase::task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) {
    DeviceCore::task_begin(run_id, task_id, kernel_address);
    fetch_cold_code(kernel_address);
    pipes_.reset(now_ps());
    gm_stores_.begin_task();
    task_tensors_declared_ = false;
}

void AicoreBase::fetch_cold_code(uint64_t kernel_address) {
    const ArchConfig::ColdCore& cold = env_.config.cold_core;
    double fetch_ns = 0;
    if (!executor_warm_) {
        executor_warm_ = true;
        fetch_ns += cold.executor_fetch_ns;
    }
    if (warm_kernels_.insert(kernel_address).second) fetch_ns += cold.kernel_fetch_ns;
    if (fetch_ns > 0) charge(ns_to_ps(fetch_ns));  // off (0): no charge, timings as without the model
}

void AicoreBase::check_gm_endpoint(const char* name, const char* pipe, uint64_t gm_address, uint64_t bytes) {
    const trace::Region region = env_.map.region_of(gm_address, bytes);
    if (region == trace::Region::Hbm || region == trace::Region::HostMapped) return;
    const std::string transfer = pipe ? std::string(name) + " on " + pipe : std::string(name);
    switch (region) {
        case trace::Region::Mmio:
            fault(FaultKind::AicoreMmioAccess, gm_address, bytes,
                  transfer + " into the MMIO window hangs real silicon");
        default: fault(FaultKind::UnmappedAddress, gm_address, bytes, transfer + " outside every region");
    }
}

void AicoreBase::debug_read(uint64_t address, void* data, uint64_t bytes) {
    debug_payload_.set_command(tlm::TLM_READ_COMMAND);
    debug_payload_.set_address(address);
    debug_payload_.set_data_ptr(static_cast<unsigned char*>(data));
    debug_payload_.set_data_length(static_cast<unsigned>(bytes));
    if (bus->transport_dbg(debug_payload_) != bytes) {
        fault(FaultKind::UnmappedAddress, address, bytes, "the task-args blob is not in device memory");
    }
}

void AicoreBase::declare_task_args(uint64_t task_args) {
    TaskArgsHeader header{};
    debug_read(task_args, &header, sizeof header);
    if (header.tensor_count > kMaxKernelArgumentWords) {
        fault(FaultKind::ProgramError, task_args, sizeof header,
              "task args declare " + std::to_string(header.tensor_count) + " tensors; at most " +
                  std::to_string(kMaxKernelArgumentWords));
    }
    task_tensors_.resize(header.tensor_count);
    if (!task_tensors_.empty())
        debug_read(task_args + sizeof header, task_tensors_.data(), task_tensors_.size() * sizeof(TensorDescriptor));
    task_tensors_declared_ = true;
}

int64_t* AicoreBase::task_argument_words(uint64_t task_args) {
    TaskArgsHeader header{};
    load(task_args, &header, sizeof header);
    // The host refuses a task with more words; the bound only keeps a malformed blob from
    // overrunning the page.
    const uint64_t count = std::min<uint64_t>(task_args_word_count(header), kMaxKernelArgumentWords);
    int64_t* const words = argument_words_.place(count);
    if (!words) fault(FaultKind::ProgramError, task_args, sizeof header, "cannot map a page for the argument words");
    if (count > 0) load(task_args + task_args_words_offset(header), words, count * sizeof(int64_t));
    return words;
}

void AicoreBase::check_in_task_tensors(const char* name, bool to_gm, uint64_t gm_address, uint64_t bytes,
                                       const char* hint) {
    if (!task_tensors_declared_) return;
    for (const TensorDescriptor& tensor : task_tensors_) {
        if (tensor.holds(gm_address, bytes)) return;
    }
    std::string tensors;
    for (const TensorDescriptor& tensor : task_tensors_) {
        tensors += (tensors.empty() ? "" : ", ") + hex_range(tensor.data, tensor.data + tensor.span_bytes());
        if (tensor.strided()) tensors += " (a strided view: the elements its strides step to)";
    }
    fault(FaultKind::OutOfTensor, gm_address, bytes,
          std::string(name) + (to_gm ? " writes GM " : " reads GM ") + hex_range(gm_address, gm_address + bytes) +
              ", outside every tensor of the task (" + (tensors.empty() ? "it has none" : tensors) + "): " + hint);
}

void AicoreBase::gm_pointer_access(uint64_t address, uint64_t bytes, bool write) {
    check_abort();
    const char* const name = write ? "a store through a __gm__ pointer" : "a load through a __gm__ pointer";
    if (env_.map.region_of(address, bytes) != trace::Region::Hbm) {
        fault(FaultKind::UnmappedAddress, address, bytes, std::string(name) + " reaches past the end of HBM");
    }
    if (!env_.hbm_at_device_addresses) {
        fault(FaultKind::UnmappedAddress, address, bytes,
              std::string(name) +
                  " works in simulation only where the process maps HBM at its device addresses, and this one "
                  "could not (another mapping holds that range): load the value into a tile with TLOAD instead");
    }
    check_in_task_tensors(name, write, address, bytes,
                          "check the pointer arithmetic against the tensor it points into");
    // The scalar unit reads GM that a pipe's store still writes unless a flag or barrier ordered it.
    if (!write) {
        if (const auto hazard = gm_stores_.check_load(address, bytes, Pipe::S, pipes_)) {
            hazard_fault(name, Pipe::S, *hazard, "GM");
        }
    }
    pointer_scalar(address, bytes, write);
}

void AicoreBase::check_gm_rows(const char* name, Pipe pipe, bool to_gm, const GmRows& rows) {
    for (uint32_t row = 0; row < rows.count; ++row) {
        check_gm_endpoint(name, pipe_name(pipe), rows.at(row), rows.bytes);
        check_in_task_tensors(name, to_gm, rows.at(row), rows.bytes);
        if (to_gm) continue;
        if (const auto hazard = gm_stores_.check_load(rows.at(row), rows.bytes, pipe, pipes_)) {
            hazard_fault(name, pipe, *hazard, "GM");
        }
    }
}

uint64_t AicoreBase::transfer_gm_row(bool to_gm, uint64_t address, uint8_t* data, uint32_t bytes, uint64_t start_ps,
                                     bool inject_store_faults) {
    std::optional<MteStoreInjection> injection;
    if (to_gm && inject_store_faults && fault_injection_armed()) injection.emplace(data, bytes);
    const uint64_t latency =
        transport(to_gm ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, address, data, bytes, start_ps - now_ps());
    record(to_gm ? trace::Op::Write : trace::Op::Read, env_.map.region_of(address, bytes), address, bytes, start_ps,
           latency);
    return latency;
}

void AicoreBase::note_gm_rows_stored(const GmRows& rows, PipeAccess access) {
    for (uint32_t row = 0; row < rows.count; ++row) gm_stores_.note_store(rows.at(row), rows.bytes, access);
}

void AicoreBase::check_buffer(const BufferShadow& buffer, const char* buffer_name, const char* name, Pipe pipe,
                              uint32_t offset, uint32_t bytes, bool write) {
    if (const auto hazard = buffer.check(offset, bytes, write, pipe, pipes_))
        hazard_fault(name, pipe, *hazard, buffer_name);
}

void AicoreBase::hazard_fault(const char* name, Pipe pipe, const Hazard& hazard, const char* where) {
    const char* earlier = pipes_.name_of(hazard.earlier.pipe, hazard.earlier.index);
    const bool reads = hazard.kind == HazardKind::ReadAfterWrite;
    std::string detail = std::string(name) + " on " + pipe_name(pipe) + (reads ? " reads " : " writes ") + where + " " +
                         hex_range(hazard.begin, hazard.end) + ", which " + earlier + " on " +
                         pipe_name(hazard.earlier.pipe) + " (its instruction " + std::to_string(hazard.earlier.index) +
                         ")" + (hazard.kind == HazardKind::WriteAfterRead ? " reads" : " writes") +
                         " with nothing ordering it before (" + hazard_kind_name(hazard.kind) + "): ";
    if (hazard.earlier.pipe == pipe) {
        detail += std::string("add pipe_barrier(") + pipe_name(pipe) + ") between them";
    } else {
        const std::string pair = std::string(pipe_name(hazard.earlier.pipe)) + ", " + pipe_name(pipe) + ", EVENT_IDn)";
        detail += "add set_flag(" + pair + " after the " + earlier + " and wait_flag(" + pair + " before the " + name;
    }
    fault(FaultKind::PipeHazard, hazard.begin, hazard.end - hazard.begin, detail);
}

bool AicoreBase::has_pipe(Pipe pipe) const {
    return std::find(pipes_it_has_.begin(), pipes_it_has_.end(), pipe) != pipes_it_has_.end();
}

std::string AicoreBase::pipe_list(bool with_all) const {
    std::vector<Pipe> pipes = pipes_it_has_;
    if (with_all) pipes.push_back(Pipe::All);
    std::string text;
    for (size_t i = 0; i < pipes.size(); ++i) {
        text += (i == 0 ? "" : i + 1 == pipes.size() ? " and " : ", ") + std::string(pipe_name(pipes[i]));
    }
    return text;
}

void AicoreBase::check_pipe_pair(Pipe source, Pipe destination, uint32_t event, const char* call) {
    const auto describe = [&] {
        return std::string(call) + "(" + pipe_name(source) + ", " + pipe_name(destination) + ", EVENT_ID" +
               std::to_string(event) + ")";
    };
    if (!has_pipe(source) || !has_pipe(destination)) {
        fault(FaultKind::ProgramError, 0, 0,
              describe() + ": " + core_kind_text(initiator_kind()) + " has " + pipe_list(false) +
                  " (a flag orders two pipes of one core; the other kind of AICore has its own pipes)");
    }
    if (source == destination) fault(FaultKind::ProgramError, 0, 0, describe() + ": a flag orders two different pipes");
    if (event >= kPipeEventCount) {
        fault(FaultKind::ProgramError, 0, 0,
              describe() + ": event ids are EVENT_ID0 .. EVENT_ID" + std::to_string(kPipeEventCount - 1));
    }
}

void AicoreBase::set_flag(Pipe source, Pipe destination, uint32_t event) {
    check_abort();
    check_pipe_pair(source, destination, event, "set_flag");
    pipes_.set_flag(source, destination, event, now_ps());
    charge_issue();
}

void AicoreBase::wait_flag(Pipe source, Pipe destination, uint32_t event) {
    check_abort();
    check_pipe_pair(source, destination, event, "wait_flag");
    const uint64_t issue = now_ps();
    uint64_t resume = issue;
    if (!pipes_.wait_flag(source, destination, event, issue, resume)) {
        const std::string pair =
            std::string(pipe_name(source)) + ", " + pipe_name(destination) + ", EVENT_ID" + std::to_string(event) + ")";
        fault(FaultKind::PipeDeadlock, 0, 0,
              "wait_flag(" + pair + " with no set_flag(" + pair + " pending: the core would wait forever");
    }
    charge(resume - issue + issue_ps_);
}

void AicoreBase::cross_core_set(uint32_t mode, Pipe pipe, uint32_t flag) {
    check_abort();
    const std::string call = std::string("ffts_cross_core_sync(") + pipe_name(pipe) + ", mode " + std::to_string(mode) +
                             ", flag " + std::to_string(flag) + ")";
    const auto refuse = [&](const std::string& why) { fault(FaultKind::ProgramError, 0, 0, call + ": " + why); };
    if (pipe == Pipe::S || pipe == Pipe::All || !has_pipe(pipe)) {
        refuse("a cross-core set is queued on one of the pipes " + core_kind_text(initiator_kind()) +
               " has besides PIPE_S (" + pipe_list(false) + ")");
    }
    if (flag >= CrossCoreFlags::kFlagIds) {
        refuse("flag ids are 0 .. " + std::to_string(CrossCoreFlags::kFlagIds - 1));
    }
    if (mode == 0) {
        refuse(
            "mode 0 (every core of the launch) is not modelled: synchronise inside a cluster with mode 1 (the two "
            "AIVs) or 2 (AIC <-> AIV)");
    }
    if (mode > 2) refuse("the modes are 0, 1 and 2");
    if (!env_.cross_core_flags.in_cluster(cluster_member_)) refuse(initiator_name() + " is in no AICore cluster");
    // The set fires when its pipe reaches it (after what was issued to the pipe before it).
    const uint64_t fires_ps = pipes_.start_of(pipe, now_ps()) + cross_core_flag_ps_;
    const std::string error = env_.cross_core_flags.set(cluster_member_, mode, flag, fires_ps, sim::now_ps());
    if (!error.empty()) refuse(error);
    charge_issue();
}

void AicoreBase::cross_core_wait(uint32_t flag) {
    check_abort();
    if (flag >= CrossCoreFlags::kFlagIds) {
        fault(FaultKind::ProgramError, 0, 0,
              "wait_flag_dev(" + std::to_string(flag) + "): flag ids are 0 .. " +
                  std::to_string(CrossCoreFlags::kFlagIds - 1));
    }
    if (!env_.cross_core_flags.in_cluster(cluster_member_)) {
        fault(FaultKind::ProgramError, 0, 0,
              "wait_flag_dev(" + std::to_string(flag) + "): " + initiator_name() + " is in no AICore cluster");
    }
    // Up to this core's time, every other core has set what it set before it: a count that is
    // not there yet fires later, whatever order the simulation runs the cores in. The wait takes
    // the first count to fire, which may be one set after the wait began.
    advance_to(now_ps());
    for (;;) {
        const auto earliest_ps = env_.cross_core_flags.earliest(cluster_member_, flag);
        if (earliest_ps && *earliest_ps <= now_ps()) {
            env_.cross_core_flags.take_earliest(cluster_member_, flag);
            break;
        }
        // A flag nobody sets leaves the core waiting; with nothing else to do the chip reports a
        // hang naming the busy cores (Chip::wait_idle).
        const auto woken = env_.cross_core_flags.counted(cluster_member_) | env_.faults.abort_event();
        if (earliest_ps) {
            sc_core::wait(ps_time(*earliest_ps - now_ps()), woken);
        } else {
            sc_core::wait(woken);
        }
        check_abort();
    }
    charge_issue();
}

void AicoreBase::pipe_barrier(Pipe pipe) {
    check_abort();
    if (pipe == Pipe::All) {
        const uint64_t issue = now_ps();
        charge(pipes_.barrier_all(issue) - issue);
        return;
    }
    if (!has_pipe(pipe)) {
        fault(FaultKind::ProgramError, 0, 0,
              std::string("pipe_barrier(") + pipe_name(pipe) + "): " + core_kind_text(initiator_kind()) + " has " +
                  pipe_list(true));
    }
    pipes_.barrier(pipe);
    charge_issue();
}

TimedRegister& AicoreBase::locate_register(uint32_t core, uint32_t offset, bool for_write) {
    const uint64_t address = env_.config.mmio_window_base(core) + offset;
    if (core != physical_id_) {
        fault(FaultKind::ForeignRegister, address, 4,
              initiator_name() + " may only access its own control registers (physical id " +
                  std::to_string(physical_id_) + ")");
    }
    const auto which = env_.mmio.decode_offset(offset);
    if (!which)
        fault(FaultKind::UnmappedAddress, address, 4, "no control register at offset " + std::to_string(offset));
    if (for_write && *which != ControlRegister::Cond) {
        fault(FaultKind::ForeignRegister, address, 4, "an AICore writes COND only (DATA_MAIN_BASE is the AICPU's)");
    }
    return env_.mmio.own_register(core, *which);
}

uint32_t AicoreBase::sample_register(uint32_t, uint32_t, TimedRegister& reg) { return reg.value_at(now_ps()); }

void AicoreBase::write_register(uint32_t core, uint32_t, TimedRegister& reg, uint32_t value) {
    // COND becomes visible to the polling AICPU after the core-to-AICPU propagation delay.
    const uint64_t visible_ps = now_ps() + ns_to_ps(env_.config.costs.core_store_to_aicpu_ns);
    reg.write(value, visible_ps);
    // What the scheduler thread driving this core waits for in idle_wait while its task runs.
    if (Announcements* watcher = env_.cond_watchers.watcher(core)) watcher->announce(visible_ps, sim::now_ps());
}

void AicoreBase::mmio_scalar(uint64_t address, void*, uint64_t bytes, bool write) {
    fault(FaultKind::AicoreMmioAccess, address, bytes,
          std::string("an AICore ") + (write ? "store" : "load") +
              " into the MMIO window hangs real silicon; use the core's own register access");
}

}  // namespace tandem::sim
