#include "sim/model/core/device_core.h"

#include "sim/model/core/run_horizon.h"
#include "sim/model/core/time.h"
#include "sim/model/fault/kernel_crash_report.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace tandem::sim {

DeviceCore::DeviceCore(sc_core::sc_module_name name, const CoreEnvironment& environment, trace::InitiatorKind kind,
                       uint32_t index, const CoreCosts& costs)
    : sc_module(name),
      bus("bus"),
      env_(environment),
      costs_(costs),
      kind_(kind),
      index_(index),
      initiator_(trace::make_initiator(kind, static_cast<uint16_t>(index))),
      cache_(environment.config.memory.data_cache_lines, environment.config.memory.cache_line_bytes) {
    idle_wake_ |= env_.announcements.made();
    idle_wake_ |= watched_conds_.made();
    idle_wake_ |= env_.faults.abort_event();
    SC_HAS_PROCESS(DeviceCore);
    SC_THREAD(run_programs);
}

std::string DeviceCore::initiator_name() const {
    return std::string(trace::initiator_kind_name(kind_)) + std::to_string(index_);
}

void DeviceCore::start(DeviceProgram program) {
    program_ = std::move(program);
    busy_ = true;
    start_.notify(sc_core::SC_ZERO_TIME);
}

DeviceCore::~DeviceCore() { stop_reporting_crashes_of(*this); }

void DeviceCore::run_programs() {
    report_crashes_of(*this);
    for (;;) {
        if (!busy_) sc_core::wait(start_);
        quantum_.reset();
        try {
            check_abort();
            program_(*this);
        } catch (const DeviceAbort&) {
            // The fault is already recorded; the program just unwinds.
        } catch (const std::exception& error) {
            env_.faults.raise(
                make_fault(FaultKind::ProgramError, 0, 0, std::string("device program threw: ") + error.what()));
        }
        quantum_.sync();
        leave_task();
        program_ = nullptr;
        busy_ = false;
        finished_.notify(sc_core::SC_ZERO_TIME);
    }
}

uint64_t DeviceCore::now_ps() const { return quantum_.now_ps(); }

uint64_t DeviceCore::system_counter() const {
    return static_cast<uint64_t>(static_cast<double>(now_ps()) * env_.config.clocks.system_counter_mhz / 1e6);
}

void DeviceCore::charge(uint64_t ps) {
    quantum_.add(ps);
    if (!quantum_.need_sync()) return;
    // A sync lets the other processes catch up; when none has anything to do before this
    // core's time (none runnable now, no event before it), it would only move the kernel's
    // clock, and the core runs on: the same results without a context switch (a chain of
    // dependent tasks has one core busy at a time). Not past the host's horizon, where the
    // kernel must stop.
    const uint64_t time = quantum_.now_ps();
    if (time < run_horizon_ps() && sim::now_ps() + to_ps(sc_core::sc_time_to_pending_activity()) > time) {
        quantum_.skip_sync();
        return;
    }
    quantum_.sync();
    check_abort();
}

void DeviceCore::advance_to(uint64_t time_ps) {
    const uint64_t global = sim::now_ps();
    if (time_ps <= global && quantum_.local_ps() == 0) {
        // Already in step with the kernel: everything other cores did before now is done.
        check_abort();
        return;
    }
    quantum_.set(time_ps > global ? time_ps - global : 0);
    quantum_.sync();
    check_abort();
}

namespace {
// Pauses end on a whole nanosecond: the ABI counts pauses in ns, and two threads that pause
// until the same nanosecond then meet exactly, whatever fraction of a ns each started at.
uint64_t whole_ns_at_or_after(uint64_t ps) { return (ps + 999) / 1000 * 1000; }
}  // namespace

void DeviceCore::pause(uint64_t ps) {
    const uint64_t until = ps >= kWaitForever - now_ps() ? kWaitForever : whole_ns_at_or_after(now_ps() + ps);
    charge(until - now_ps());
    advance_to(now_ps());
}

void DeviceCore::idle_wait(uint64_t period_ps, uint64_t since_ps, uint64_t until_ps) {
    pause(0);
    const uint64_t start = now_ps();
    const uint64_t period = std::max<uint64_t>(period_ps, 1);
    // The thread's looks fall on start + k * period, k >= 1.
    const auto look_at_or_after = [&](uint64_t time) {
        return start + std::max<uint64_t>(1, (std::max(time, start) - start + period - 1) / period) * period;
    };
    uint64_t look = until_ps == kWaitForever ? kWaitForever : look_at_or_after(until_ps);
    for (;;) {
        for (Announcements* changes : {&env_.announcements, &watched_conds_}) {
            if (const auto change = changes->first_since(since_ps, sim::now_ps())) {
                look = std::min(look, look_at_or_after(*change));
            }
        }
        if (look <= sim::now_ps()) break;
        // Wait for the look, or for an announcement made meanwhile (at any time up to it).
        if (look == kWaitForever) {
            sc_core::wait(idle_wake_);
        } else {
            sc_core::wait(ps_time(look - sim::now_ps()), idle_wake_);
        }
        check_abort();
    }
    advance_to(look);
}

void DeviceCore::announce_change() { env_.announcements.announce(now_ps(), sim::now_ps()); }

void DeviceCore::check_abort() const {
    if (env_.faults.aborted()) throw DeviceAbort("device programs aborted after a fault");
}

void DeviceCore::fault(FaultKind kind, uint64_t address, uint64_t bytes, const std::string& detail) {
    record(trace::Op::Read, trace::Region::Unmapped, address, bytes, now_ps(), 0);
    env_.faults.raise(make_fault(kind, address, bytes, detail));
    throw DeviceAbort("device fault");
}

void DeviceCore::record(trace::Op op, trace::Region region, uint64_t address, uint64_t bytes, uint64_t issued_ps,
                        uint64_t latency_ps) {
    env_.tracer.record(issued_ps, initiator_, op, region, address, bytes, current_task_, latency_ps);
}

uint64_t DeviceCore::transport(tlm::tlm_command command, uint64_t address, void* data, uint64_t bytes,
                               uint64_t issue_offset_ps, bool timing_write) {
    payload_.set_command(command);
    payload_.set_address(address);
    payload_.set_data_ptr(static_cast<unsigned char*>(data));
    payload_.set_data_length(static_cast<unsigned>(bytes));
    payload_.set_streaming_width(static_cast<unsigned>(bytes));
    payload_.set_byte_enable_ptr(nullptr);
    payload_.set_dmi_allowed(false);
    payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    if (command == tlm::TLM_IGNORE_COMMAND) {
        timing_only_.write = timing_write;
        payload_.set_extension(&timing_only_);
    }
    const uint64_t issued_ps = quantum_.local_ps() + issue_offset_ps;
    sc_core::sc_time delay = ps_time(issued_ps);
    bus->b_transport(payload_, delay);
    if (command == tlm::TLM_IGNORE_COMMAND) payload_.clear_extension(&timing_only_);

    switch (payload_.get_response_status()) {
        case tlm::TLM_OK_RESPONSE: break;
        case tlm::TLM_COMMAND_ERROR_RESPONSE:
            fault(FaultKind::RegisterWindowClosed, address, bytes, "write DMB only after FAST_PATH_ENABLE is opened");
        default:
            if (env_.map.region_of(address, bytes) == trace::Region::HostMapped) {
                fault(FaultKind::UnmappedAddress, address, bytes,
                      "host-mapped page not registered (unregistered or freed while in use?)");
            }
            fault(FaultKind::UnmappedAddress, address, bytes, "no memory or register at this address");
    }
    return to_ps(delay) - issued_ps;
}

const tlm::tlm_dmi& DeviceCore::dmi_region(uint64_t address, uint64_t bytes) {
    const auto holds = [address](const tlm::tlm_dmi& region) {
        return address >= region.get_start_address() && address <= region.get_end_address();
    };
    if (dmi_regions_kept_ && holds(dmi_regions_[dmi_last_used_])) return dmi_regions_[dmi_last_used_];
    for (size_t i = 0; i < dmi_regions_kept_; ++i) {
        if (holds(dmi_regions_[i])) {
            dmi_last_used_ = i;
            return dmi_regions_[i];
        }
    }
    dmi_request_.set_address(address);
    dmi_request_.set_command(tlm::TLM_READ_COMMAND);
    tlm::tlm_dmi granted;
    if (!bus->get_direct_mem_ptr(dmi_request_, granted)) {
        fault(FaultKind::UnmappedAddress, address, bytes, "no direct memory access here");
    }
    const size_t slot = dmi_regions_kept_ < kDmiRegions ? dmi_regions_kept_ : dmi_next_replaced_;
    dmi_regions_[slot] = granted;
    if (dmi_regions_kept_ < kDmiRegions) {
        ++dmi_regions_kept_;
    } else {
        dmi_next_replaced_ = (dmi_next_replaced_ + 1) % kDmiRegions;
    }
    dmi_last_used_ = slot;
    return dmi_regions_[slot];
}

void DeviceCore::dmi_access(uint64_t address, void* data, uint64_t bytes, bool write) {
    auto* cursor = static_cast<unsigned char*>(data);
    while (bytes) {
        const tlm::tlm_dmi& region = dmi_region(address, bytes);
        const uint64_t chunk = std::min<uint64_t>(bytes, region.get_end_address() - address + 1);
        unsigned char* memory = region.get_dmi_ptr() + (address - region.get_start_address());
        if (write) {
            std::memcpy(memory, cursor, chunk);
        } else {
            std::memcpy(cursor, memory, chunk);
        }
        cursor += chunk;
        address += chunk;
        bytes -= chunk;
    }
}

void DeviceCore::keep_overwritten(uint64_t address, uint64_t bytes) {
    const uint64_t kernel_ps = sim::now_ps();
    if (now_ps() <= kernel_ps) return;
    uint8_t word[64];  // most stores are words: no allocation for them
    std::vector<uint8_t> large;
    uint8_t* const overwritten = bytes <= sizeof word ? word : (large.resize(bytes), large.data());
    dmi_access(address, overwritten, bytes, false);
    env_.store_history.record(address, overwritten, bytes, now_ps(), kernel_ps);
}

void DeviceCore::hbm_scalar(uint64_t address, void* data, uint64_t bytes, bool write) {
    if (write) {
        keep_overwritten(address, bytes);
        dmi_access(address, data, bytes, true);
    } else {
        dmi_access(address, data, bytes, false);
        env_.store_history.rewind(address, data, bytes, now_ps(), sim::now_ps());
    }
}

void DeviceCore::pointer_scalar(uint64_t address, uint64_t bytes, bool write) {
    const uint64_t issued = now_ps();
    const uint64_t latency = cached_access(address, bytes, write);
    if (write) keep_overwritten(address, bytes);
    record(write ? trace::Op::Write : trace::Op::Read, trace::Region::Hbm, address, bytes, issued, latency);
    charge(latency);
}

uint64_t DeviceCore::cached_access(uint64_t address, uint64_t bytes, bool write) {
    uint64_t cost = 0;
    const uint32_t line_bytes = cache_.line_bytes();
    for (uint64_t line = cache_.line_of(address); line < address + bytes; line += line_bytes) {
        const DataCache::Touch touch = cache_.touch(line, write);
        if (touch.evicted_dirty_line) {
            cost += transport(tlm::TLM_IGNORE_COMMAND, *touch.evicted_dirty_line, nullptr, line_bytes, cost, true);
        }
        if (touch.hit || write) {
            // Stores allocate without fetching the line (write-combining), as the AICore
            // field-write + flush measurement (150-300 ns) implies.
            cost += costs_.cache_hit_ps;
        } else {
            cost += costs_.miss_path_ps + transport(tlm::TLM_IGNORE_COMMAND, line, nullptr, line_bytes, cost, false);
        }
    }
    return cost;
}

void DeviceCore::scalar_access(uint64_t address, void* data, uint64_t bytes, bool write) {
    check_abort();
    const trace::Region region = env_.map.region_of(address, bytes);
    const uint64_t issued = now_ps();
    uint64_t latency = 0;
    switch (region) {
        case trace::Region::Hbm:
            latency = cached_access(address, bytes, write);
            hbm_scalar(address, data, bytes, write);
            break;
        case trace::Region::HostMapped:
            latency = transport(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, address, data, bytes);
            break;
        case trace::Region::Mmio: mmio_scalar(address, data, bytes, write); return;
        default:
            fault(FaultKind::UnmappedAddress, address, bytes,
                  std::string(write ? "store to" : "load from") + " an address outside every region");
    }
    record(write ? trace::Op::Write : trace::Op::Read, region, address, bytes, issued, latency);
    charge(latency);
}

void DeviceCore::load(uint64_t address, void* dst, uint64_t bytes) { scalar_access(address, dst, bytes, false); }

void DeviceCore::store(uint64_t address, const void* src, uint64_t bytes) {
    scalar_access(address, const_cast<void*>(src), bytes, true);
}

void DeviceCore::copy(uint64_t dst, uint64_t src, uint64_t bytes) {
    check_abort();
    const trace::Region from = env_.map.region_of(src, bytes);
    const trace::Region to = env_.map.region_of(dst, bytes);
    for (const auto& [address, region] : {std::pair{src, from}, std::pair{dst, to}}) {
        if (region == trace::Region::Mmio) {
            fault(kind_ == trace::InitiatorKind::Aicpu ? FaultKind::UnmappedAddress : FaultKind::AicoreMmioAccess,
                  address, bytes, "bulk copies cannot touch the register window");
        }
        if (region == trace::Region::Unmapped) {
            fault(FaultKind::UnmappedAddress, address, bytes, "copy endpoint outside every region");
        }
    }
    std::vector<unsigned char> staging(bytes);
    const uint64_t issued = now_ps();
    const uint64_t read_latency = transport(tlm::TLM_READ_COMMAND, src, staging.data(), bytes);
    const uint64_t write_latency = transport(tlm::TLM_WRITE_COMMAND, dst, staging.data(), bytes, read_latency);
    record(trace::Op::Read, from, src, bytes, issued, read_latency);
    record(trace::Op::Write, to, dst, bytes, issued + read_latency, write_latency);
    charge(read_latency + write_latency);
}

uint32_t DeviceCore::reg_read(uint32_t core, uint32_t offset) {
    check_abort();
    TimedRegister& reg = locate_register(core, offset, false);
    const uint64_t issued = std::max(now_ps(), register_load_not_before(core));
    // Loads of device registers are serialising: the load samples the value visible when
    // it is issued and returns a full load cost later, nothing else running meanwhile. So
    // a signal is seen one load after it became visible (ascend-facts: AICore -> AICPU via
    // COND min 180 ns = core store + propagation + AICPU load).
    advance_to(issued);
    const uint32_t value = sample_register(core, offset, reg);
    record(trace::Op::Read, trace::Region::Mmio, env_.config.mmio_window_base(core) + offset, 4, issued,
           costs_.register_load_ps);
    charge(costs_.register_load_ps);
    return value;
}

void DeviceCore::reg_write(uint32_t core, uint32_t offset, uint32_t value) {
    check_abort();
    TimedRegister& reg = locate_register(core, offset, true);
    record(trace::Op::Write, trace::Region::Mmio, env_.config.mmio_window_base(core) + offset, 4, now_ps(),
           costs_.register_store_ps);
    write_register(core, offset, reg, value);
    charge(costs_.register_store_ps);  // posted: the core only pays the issue
}

std::optional<uint32_t> DeviceCore::reg_poll(uint32_t core, uint32_t offset, uint32_t mask, uint32_t expected,
                                             PollUntil until, uint64_t timeout_ps) {
    check_abort();
    TimedRegister& reg = locate_register(core, offset, false);
    const uint64_t load = costs_.register_load_ps;
    const uint64_t issued = std::max(now_ps(), register_load_not_before(core));
    const uint64_t deadline = timeout_ps == kWaitForever ? UINT64_MAX : issued + timeout_ps;
    const auto satisfied = [&](uint32_t value) { return ((value & mask) == expected) == (until == PollUntil::Equal); };
    const auto done = [&](std::optional<uint32_t> result, uint64_t at) {
        // One record for the whole poll keeps traces readable; latency spans every load.
        record(trace::Op::Read, trace::Region::Mmio, env_.config.mmio_window_base(core) + offset, 4, issued,
               at - issued);
        return result;
    };
    // Loads are issued back to back on a grid of `load` from the first issue; each
    // samples the value visible at its issue (as reg_read) and completes `load` later.
    // Loads that cannot observe a change are skipped in one step, which gives the same
    // result as issuing them one by one.
    const auto ceil_polls = [&](uint64_t span) { return std::max<uint64_t>(1, (span + load - 1) / load); };
    uint64_t issue = issued;
    for (;;) {
        advance_to(issue);
        const uint32_t value = sample_register(core, offset, reg);
        const uint64_t completion = issue + load;
        if (satisfied(value) || completion >= deadline) {
            const auto result = done(satisfied(value) ? std::optional<uint32_t>(value) : std::nullopt, completion);
            charge(load);
            return result;
        }
        // The last load that may still be issued before the deadline passes.
        const uint64_t last_issue = deadline - load;
        if (const auto change = reg.next_change_after(issue)) {
            issue += ceil_polls(std::min(*change, last_issue) - issue) * load;
            continue;
        }
        if (deadline == UINT64_MAX) {
            sc_core::wait(reg.changed() | env_.faults.abort_event());
        } else {
            sc_core::wait(ps_time(last_issue - issue), reg.changed() | env_.faults.abort_event());
        }
        check_abort();
        issue += ceil_polls(sim::now_ps() - issue) * load;
    }
}

void DeviceCore::barrier() {
    check_abort();
    charge(ns_to_ps(env_.config.costs.barrier_ns));
}

void DeviceCore::cache_clean(uint64_t address, uint64_t bytes) {
    check_abort();
    const uint32_t line_bytes = cache_.line_bytes();
    const uint64_t per_line = ns_to_ps(env_.config.costs.cache_maintenance_line_ns);
    uint64_t cost = 0;
    for (uint64_t line = cache_.line_of(address); line < address + bytes; line += line_bytes) {
        cost += per_line;
        if (cache_.clean(line)) {
            const uint64_t issued = now_ps() + cost;
            const uint64_t latency = transport(tlm::TLM_IGNORE_COMMAND, line, nullptr, line_bytes, cost, true);
            record(trace::Op::Write, env_.map.region_of(line, line_bytes), line, line_bytes, issued, latency);
            cost += latency;
        }
    }
    charge(cost);
}

void DeviceCore::cache_invalidate(uint64_t address, uint64_t bytes) {
    check_abort();
    const uint32_t line_bytes = cache_.line_bytes();
    uint64_t lines = 0;
    for (uint64_t line = cache_.line_of(address); line < address + bytes; line += line_bytes, ++lines) {
        cache_.invalidate(line);
    }
    charge(lines * ns_to_ps(env_.config.costs.cache_maintenance_line_ns));
    // An invalidate is how a core looks for what others wrote to memory: a synchronisation point,
    // so the loads after it see memory as it is at this core's local time whatever the quantum
    // (as register loads do).
    advance_to(now_ps());
}

void DeviceCore::task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) {
    current_task_ = task_id;
    current_run_ = run_id;
    current_kernel_ = &env_.kernels.name_of(kernel_address);
    current_kernel_id_ = env_.tracer.kernel_id(*current_kernel_);
    record(trace::Op::TaskBegin, trace::Region::Hbm, current_run_, current_kernel_id_, now_ps(), 0);
}

void DeviceCore::task_end(uint32_t task_id) {
    record(trace::Op::TaskEnd, trace::Region::Hbm, current_run_, current_kernel_id_, now_ps(), 0);
    if (current_task_ == task_id) leave_task();
}

void DeviceCore::leave_task() {
    current_task_ = trace::kNoTask;
    current_kernel_ = nullptr;
    current_kernel_id_ = trace::kNoKernel;
}

DeviceFault DeviceCore::make_fault(FaultKind kind, uint64_t address, uint64_t bytes, const std::string& detail) const {
    DeviceFault fault{kind, initiator_name(), current_task_, address, bytes, now_ps(), detail};
    if (current_task_ != trace::kNoTask) {
        fault.run_id = current_run_;
        if (current_kernel_ != nullptr) fault.kernel = *current_kernel_;
    }
    return fault;
}

}  // namespace tandem::sim
