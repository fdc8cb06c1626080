#include "sim/model/chip/chip.h"

#include "sim/model/chip/kernel_run.h"
#include "sim/model/core/time.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace tandem::sim {
namespace {

// The SystemC banner would end up in every scene's output; the variable must be set
// before the kernel's context exists, which happens lazily, after static initialisation.
const bool systemc_banner_disabled = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0) == 0;

}  // namespace

OneChipPerProcess::OneChipPerProcess() {
    // Never released: SystemC cannot elaborate a second design once one has run, so a
    // process that destroyed its chip cannot build another either.
    static std::atomic<bool> claimed{false};
    if (claimed.exchange(true)) {
        throw std::logic_error(
            "sim::Chip: this process already made its one chip; SystemC runs one simulation per process, so tandem "
            "allows one chip per process (a scene runs in its own process, and an L3 Worker forks one chip child per "
            "device): make the other chip in a process of its own");
    }
}

Chip::Chip(sc_core::sc_module_name name, const ArchConfig& config)
    : sc_module(name),
      config_(config),
      map_(config_),
      link_(config_),
      allocator_(config_.address_map.hbm_base, config_.memory.hbm_capacity_bytes,
                 config_.memory.allocation_alignment_bytes),
      router_("router", map_),
      hbm_("hbm", config_),
      mmio_("mmio", config_),
      host_window_("host_window", config_, link_),
      dma_("dma", config_, map_, link_, tracer_),
      copy_path_(config_, dma_),
      cond_watchers_(config_.aicore_count()),
      cross_core_flags_(config_.cores.aic, config_.cores.aiv),
      environment_{config_,
                   map_,
                   mmio_,
                   faults_,
                   tracer_,
                   kernel_symbols_,
                   store_history_,
                   announcements_,
                   cond_watchers_,
                   cross_core_flags_,
                   hbm_.mapped_at_device_addresses()} {
    tlm::tlm_global_quantum::instance().set(ps_time(ns_to_ps(config_.sim.quantum_ns)));
    router_.to_hbm.bind(hbm_.from_bus);
    router_.to_mmio.bind(mmio_.from_bus);
    router_.to_host_window.bind(host_window_.from_bus);
    dma_.bus.bind(router_.from_initiators);
    for (uint32_t i = 0; i < config_.cores.aicpu_threads; ++i) {
        aicpu_.push_back(std::make_unique<AicpuCore>(("aicpu" + std::to_string(i)).c_str(), environment_, i));
        aicpu_.back()->bus.bind(router_.from_initiators);
    }
    for (uint32_t i = 0; i < config_.cores.aiv; ++i) {
        aiv_.push_back(std::make_unique<AivCore>(("aiv" + std::to_string(i)).c_str(), environment_, i));
        aiv_.back()->bus.bind(router_.from_initiators);
    }
    for (uint32_t i = 0; i < config_.cores.aic; ++i) {
        aic_.push_back(std::make_unique<AicCore>(("aic" + std::to_string(i)).c_str(), environment_, i));
        aic_.back()->bus.bind(router_.from_initiators);
        if (2 * i + 1 < aiv_.size()) aic_.back()->join_cluster(*aiv_[2 * i], *aiv_[2 * i + 1]);
    }
    mmio_.reset_for_launch();
    SC_HAS_PROCESS(Chip);
    SC_THREAD(host_thread);
}

uint64_t Chip::now_ps() const { return sim::now_ps(); }

void Chip::host_thread() {
    for (;;) {
        sc_core::wait(command_ready_);
        try {
            command_();
        } catch (...) {
            command_error_ = std::current_exception();
        }
        command_ = nullptr;
        command_done_ = true;
        sc_core::sc_pause();
    }
}

bool Chip::run_until(const std::function<bool()>& done, uint64_t limit_ps) {
    while (!done()) {
        if (now_ps() >= limit_ps) return false;
        const uint64_t span = limit_ps == UINT64_MAX ? UINT64_MAX / 4 - now_ps() : limit_ps - now_ps();
        run_kernel(ps_time(span), sc_core::SC_EXIT_ON_STARVATION);
        // The kernel also stops on sc_pause (a host command finished) with work pending.
        if (done()) break;
        if (!sc_core::sc_pending_activity()) return false;
        // The starvation policy stops at the last event before the limit without moving the
        // clock on; when the next event lies beyond the limit, run the clock to the limit.
        if (limit_ps != UINT64_MAX && now_ps() < limit_ps &&
            now_ps() + to_ps(sc_core::sc_time_to_pending_activity()) > limit_ps) {
            run_kernel(ps_time(limit_ps - now_ps()), sc_core::SC_RUN_TO_TIME);
        }
    }
    return true;
}

void Chip::on_host_thread(std::function<void()> command) {
    // Before the kernel has initialised, no process waits yet and a notification would
    // be lost: finish elaboration and initialisation first.
    if (sc_core::sc_get_status() == sc_core::SC_ELABORATION) run_kernel(sc_core::SC_ZERO_TIME, sc_core::SC_RUN_TO_TIME);
    command_ = std::move(command);
    command_done_ = false;
    command_error_ = nullptr;
    command_ready_.notify(sc_core::SC_ZERO_TIME);
    if (!run_until([this] { return command_done_; }, UINT64_MAX)) {
        throw std::logic_error("host command did not complete: the simulation starved");
    }
    if (command_error_) std::rethrow_exception(std::exchange(command_error_, nullptr));
}

void Chip::host_delay(uint64_t ps) {
    on_host_thread([ps] { sc_core::wait(ps_time(ps)); });
}

uint64_t Chip::malloc(uint64_t bytes) {
    host_delay(ns_to_ps(config_.costs.host_malloc_ns));
    const auto allocation = allocator_.allocate(bytes);
    if (!allocation) {
        throw DeviceFaultError(DeviceFault{FaultKind::HbmExhausted, "host", trace::kNoTask, 0, bytes, now_ps(),
                                           "requested " + std::to_string(bytes) + " bytes, " +
                                               std::to_string(allocator_.in_use()) + " of " +
                                               std::to_string(allocator_.capacity()) + " in use, largest free block " +
                                               std::to_string(allocator_.largest_free_block())});
    }
    tracer_.record(now_ps(), trace::make_initiator(trace::InitiatorKind::Host, 0), trace::Op::Alloc, trace::Region::Hbm,
                   allocation->address, allocation->size, allocation->id, 0);
    return allocation->address;
}

bool Chip::free(uint64_t address) {
    const auto allocation = allocator_.find(address);
    if (!allocation || !allocator_.release(address)) return false;
    tracer_.record(now_ps(), trace::make_initiator(trace::InitiatorKind::Host, 0), trace::Op::Free, trace::Region::Hbm,
                   allocation->address, allocation->size, allocation->id, 0);
    return true;
}

void Chip::copy(const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes) {
    on_host_thread([&] { copy_path_.copy(dst, src, bytes); });
}

uint64_t Chip::map_host(void* host, uint64_t bytes) {
    const auto offset = host_window_.map(host, bytes);
    if (!offset) throw std::runtime_error("host-mapped window is full: unmap host memory that is no longer used");
    return config_.address_map.host_window_base + *offset;
}

bool Chip::unmap_host(uint64_t device_address) {
    if (device_address < config_.address_map.host_window_base) return false;
    return host_window_.unmap(device_address - config_.address_map.host_window_base);
}

std::optional<uint64_t> Chip::host_device_address(const void* host) const {
    const auto mapping = host_window_.mapping_of_host(host);
    if (!mapping) return std::nullopt;
    return config_.address_map.host_window_base + mapping->device_offset +
           (static_cast<const uint8_t*>(host) - static_cast<const uint8_t*>(mapping->host));
}

void Chip::launch(const std::vector<std::pair<DeviceCore*, DeviceProgram>>& programs, RegisterReset reset) {
    on_host_thread([&] {
        for (const auto& [core, program] : programs) {
            if (core->busy()) throw std::logic_error(core->initiator_name() + " is still running a program");
        }
        if (reset == RegisterReset::AllCores) {
            mmio_.reset_for_launch();
        } else {
            for (const auto& [core, program] : programs) {
                if (core->aicore()) mmio_.reset_core_for_launch(core->physical_id());
            }
        }
        for (const auto& [core, program] : programs) core->start(program);
    });
}

bool Chip::any_busy() const {
    for (const auto& core : aicpu_)
        if (core->busy()) return true;
    for (const auto& core : aiv_)
        if (core->busy()) return true;
    for (const auto& core : aic_)
        if (core->busy()) return true;
    return false;
}

std::string Chip::busy_cores() const {
    std::string names;
    const auto add = [&](const DeviceCore& core) {
        if (core.busy()) names += (names.empty() ? "" : ", ") + core.initiator_name();
    };
    for (const auto& core : aicpu_) add(*core);
    for (const auto& core : aiv_) add(*core);
    for (const auto& core : aic_) add(*core);
    return names;
}

bool Chip::wait_idle(uint64_t timeout_ps) {
    std::vector<DeviceCore*> cores;
    for (const auto& core : aicpu_) cores.push_back(core.get());
    for (const auto& core : aiv_) cores.push_back(core.get());
    for (const auto& core : aic_) cores.push_back(core.get());
    return wait_idle(cores, timeout_ps);
}

bool Chip::wait_idle(const std::vector<DeviceCore*>& cores, uint64_t timeout_ps) {
    const auto idle = [&cores] {
        for (const DeviceCore* core : cores)
            if (core->busy()) return false;
        return true;
    };
    const uint64_t limit = timeout_ps == kWaitForever ? UINT64_MAX : now_ps() + timeout_ps;
    if (run_until(idle, limit)) return true;
    if (now_ps() >= limit) return false;
    // Starved: every busy core waits for something that can no longer happen.
    const std::string stuck = busy_cores();
    on_host_thread([&] {
        faults_.raise(DeviceFault{FaultKind::DeviceHang, stuck, trace::kNoTask, 0, 0, now_ps(),
                                  "no further device activity while " + stuck + " still run (a lost handshake?)"});
    });
    run_until([this] { return !any_busy(); }, UINT64_MAX);
    return true;
}

void Chip::abort_programs(const std::string& reason) {
    if (!any_busy()) return;
    on_host_thread([&] {
        faults_.raise(DeviceFault{FaultKind::ProgramError, "host", trace::kNoTask, 0, 0, now_ps(), reason});
    });
    run_until([this] { return !any_busy(); }, UINT64_MAX);
    if (any_busy()) throw std::logic_error("device programs did not stop after an abort: " + busy_cores());
    faults_.clear();
}

void Chip::clear_faults() {
    if (any_busy()) throw std::logic_error("clear_faults while device programs still run");
    faults_.clear();
}

void Chip::start_trace(const std::string& path) { tracer_.start(path, config_.arch, config_.hash); }

uint64_t Chip::stop_trace() { return tracer_.stop(); }

void Chip::debug_access(tlm::tlm_command command, uint64_t address, void* data, uint64_t bytes) {
    tlm::tlm_generic_payload payload;
    payload.set_command(command);
    payload.set_address(address);
    payload.set_data_ptr(static_cast<unsigned char*>(data));
    payload.set_data_length(static_cast<unsigned>(bytes));
    if (dma_.bus->transport_dbg(payload) != bytes) {
        throw std::out_of_range("device address range [" + std::to_string(address) + ", +" + std::to_string(bytes) +
                                ") is not mapped memory");
    }
}

void Chip::peek(uint64_t address, void* dst, uint64_t bytes) {
    debug_access(tlm::TLM_READ_COMMAND, address, dst, bytes);
}

void Chip::poke(uint64_t address, const void* src, uint64_t bytes) {
    debug_access(tlm::TLM_WRITE_COMMAND, address, const_cast<void*>(src), bytes);
}

}  // namespace tandem::sim
