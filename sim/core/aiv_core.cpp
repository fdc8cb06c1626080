#include "sim/core/aiv_core.h"

#include "runtime/platform/tensor_descriptor.h"
#include "sim/core/time.h"
#include "sim/fault/fault_injection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace tandem::sim {
namespace {

std::string hex_range(uint64_t begin, uint64_t end) {
    char text[64];
    std::snprintf(text, sizeof text, "[0x%llx, 0x%llx)", static_cast<unsigned long long>(begin),
                  static_cast<unsigned long long>(end));
    return text;
}

// The pipes an AIV core has (the cube pipes M, MTE1 and FIX belong to AIC cores).
bool aiv_pipe(Pipe pipe) {
    return pipe == Pipe::S || pipe == Pipe::V || pipe == Pipe::Mte2 || pipe == Pipe::Mte3;
}

CoreCosts aiv_costs(const ArchConfig& config) {
    const auto& c = config.costs;
    return CoreCosts{ns_to_ps(c.aicore_cache_hit_ns), 0, ns_to_ps(c.aicore_reg_load_ns),
                     ns_to_ps(c.aicore_reg_store_ns)};
}

}  // namespace

AivCore::AivCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index)
    : DeviceCore(name, environment, trace::InitiatorKind::Aiv, index, aiv_costs(environment.config)),
      ub_(environment.config.memory.ub_bytes, 0),
      ub_shadow_(environment.config.memory.ub_bytes) {}

uint8_t* AivCore::ub(uint32_t offset, uint32_t bytes) {
    if (uint64_t(offset) + bytes > ub_.size()) {
        fault(FaultKind::OutOfUb, offset, bytes,
              "UB range [" + std::to_string(offset) + ", " + std::to_string(uint64_t(offset) + bytes) +
                  ") exceeds the " + std::to_string(ub_.size()) + "-byte unified buffer");
    }
    return ub_.data() + offset;
}

void AivCore::check_gm_endpoint(uint64_t gm_address, uint32_t bytes) {
    switch (env_.map.region_of(gm_address, bytes)) {
        case trace::Region::Hbm:
        case trace::Region::HostMapped: return;
        case trace::Region::Mmio:
            fault(FaultKind::AicoreMmioAccess, gm_address, bytes, "an MTE transfer into the MMIO window hangs real silicon");
        default: fault(FaultKind::UnmappedAddress, gm_address, bytes, "MTE transfer outside every region");
    }
}

void AivCore::mte_transfer(bool to_gm, uint32_t ub_offset, uint64_t gm_address, uint32_t bytes) {
    check_abort();
    uint8_t* tile = ub(ub_offset, bytes);
    check_gm_endpoint(gm_address, bytes);
    const uint64_t issued = now_ps();
    const uint64_t latency = ns_to_ps(env_.config.costs.mte_latency_ns) +
                             transport(to_gm ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, gm_address, tile, bytes);
    record(to_gm ? trace::Op::Write : trace::Op::Read, env_.map.region_of(gm_address, bytes), gm_address, bytes, issued,
           latency);
    charge(latency);
}

void AivCore::mte_gm_to_ub(uint32_t ub_offset, uint64_t gm_address, uint32_t bytes) {
    mte_transfer(false, ub_offset, gm_address, bytes);
}

void AivCore::mte_ub_to_gm(uint64_t gm_address, uint32_t ub_offset, uint32_t bytes) {
    if (fault_injection_armed()) {
        const MteStoreInjection injection(ub(ub_offset, bytes), bytes);
        mte_transfer(true, ub_offset, gm_address, bytes);
        return;
    }
    mte_transfer(true, ub_offset, gm_address, bytes);
}

void AivCore::vector_op(uint64_t bytes) {
    check_abort();
    const double cycles = std::ceil(static_cast<double>(bytes) / env_.config.vector_pipe.simple_bytes_per_cycle);
    charge(ns_to_ps(cycles / env_.config.clocks.aicore_ghz));
}

void AivCore::task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) {
    DeviceCore::task_begin(run_id, task_id, kernel_address);
    pipes_.reset(now_ps());
    ub_shadow_.begin_task();
    gm_stores_.begin_task();
    task_tensors_.reset();
}

void AivCore::debug_read(uint64_t address, void* data, uint64_t bytes) {
    tlm::tlm_generic_payload payload;
    payload.set_command(tlm::TLM_READ_COMMAND);
    payload.set_address(address);
    payload.set_data_ptr(static_cast<unsigned char*>(data));
    payload.set_data_length(static_cast<unsigned>(bytes));
    if (bus->transport_dbg(payload) != bytes) {
        fault(FaultKind::UnmappedAddress, address, bytes, "the task-args blob is not in device memory");
    }
}

void AivCore::declare_task_args(uint64_t task_args) {
    TaskArgsHeader header{};
    debug_read(task_args, &header, sizeof header);
    if (header.tensor_count > kMaxKernelArgumentWords) {
        fault(FaultKind::ProgramError, task_args, sizeof header,
              "task args declare " + std::to_string(header.tensor_count) + " tensors; at most " +
                  std::to_string(kMaxKernelArgumentWords));
    }
    std::vector<TensorDescriptor> tensors(header.tensor_count);
    if (!tensors.empty()) debug_read(task_args + sizeof header, tensors.data(), tensors.size() * sizeof(TensorDescriptor));
    task_tensors_.emplace();
    for (const TensorDescriptor& tensor : tensors) task_tensors_->push_back({tensor.data, tensor.data + tensor.bytes()});
}

void AivCore::check_in_task_tensors(const char* name, bool to_gm, uint64_t gm_address, uint32_t bytes) {
    if (!task_tensors_) return;
    for (const GmRange& tensor : *task_tensors_) {
        if (gm_address >= tensor.begin && gm_address + bytes <= tensor.end) return;
    }
    std::string tensors;
    for (const GmRange& tensor : *task_tensors_) tensors += (tensors.empty() ? "" : ", ") + hex_range(tensor.begin, tensor.end);
    fault(FaultKind::OutOfTensor, gm_address, bytes,
          std::string(name) + (to_gm ? " writes GM " : " reads GM ") + hex_range(gm_address, gm_address + bytes) +
              ", outside every tensor of the task (" + (tensors.empty() ? "it has none" : tensors) +
              "): check the GlobalTensor's shape and strides against the tensor it views");
}


void AivCore::hazard_fault(const char* name, Pipe pipe, const Hazard& hazard, bool in_ub) {
    const char* earlier = pipes_.name_of(hazard.earlier.pipe, hazard.earlier.index);
    const bool reads = hazard.kind == HazardKind::ReadAfterWrite;
    std::string detail = std::string(name) + " on " + pipe_name(pipe) + (reads ? " reads " : " writes ") +
                         (in_ub ? "UB " : "GM ") + hex_range(hazard.begin, hazard.end) + ", which " + earlier +
                         " on " + pipe_name(hazard.earlier.pipe) + " (its instruction " +
                         std::to_string(hazard.earlier.index) + ")" +
                         (hazard.kind == HazardKind::WriteAfterRead ? " reads" : " writes") +
                         " with nothing ordering it before (" + hazard_kind_name(hazard.kind) + "): ";
    if (hazard.earlier.pipe == pipe) {
        detail += std::string("add pipe_barrier(") + pipe_name(pipe) + ") between them";
    } else {
        const std::string pair = std::string(pipe_name(hazard.earlier.pipe)) + ", " + pipe_name(pipe) + ", EVENT_IDn)";
        detail += "add set_flag(" + pair + " after the " + earlier + " and wait_flag(" + pair + " before the " + name;
    }
    fault(FaultKind::PipeHazard, hazard.begin, hazard.end - hazard.begin, detail);
}

void AivCore::check_ub(const char* name, Pipe pipe, uint32_t offset, uint32_t bytes, bool write) {
    ub(offset, bytes);  // out of UB is its own fault
    if (const auto hazard = ub_shadow_.check(offset, bytes, write, pipe, pipes_)) hazard_fault(name, pipe, *hazard, true);
}

void AivCore::mte(const MteTransfer& transfer) {
    check_abort();
    const Pipe pipe = transfer.to_gm ? Pipe::Mte3 : Pipe::Mte2;
    const auto ub_row = [&](uint32_t row) { return transfer.ub_offset + uint64_t(row) * transfer.ub_row_stride; };
    const auto gm_row = [&](uint32_t row) { return transfer.gm_address + uint64_t(row) * transfer.gm_row_stride; };
    for (uint32_t row = 0; row < transfer.rows; ++row) {
        if (ub_row(row) + transfer.row_bytes > ub_.size()) {
            fault(FaultKind::OutOfUb, ub_row(row), transfer.row_bytes,
                  std::string(transfer.name) + ": UB range " + hex_range(ub_row(row), ub_row(row) + transfer.row_bytes) +
                      " exceeds the " + std::to_string(ub_.size()) + "-byte unified buffer");
        }
        check_ub(transfer.name, pipe, static_cast<uint32_t>(ub_row(row)), transfer.row_bytes, !transfer.to_gm);
        check_gm_endpoint(gm_row(row), transfer.row_bytes);
        check_in_task_tensors(transfer.name, transfer.to_gm, gm_row(row), transfer.row_bytes);
        if (!transfer.to_gm) {
            if (const auto hazard = gm_stores_.check_load(gm_row(row), transfer.row_bytes, pipe, pipes_)) {
                hazard_fault(transfer.name, pipe, *hazard, false);
            }
        }
    }
    const uint64_t issue = now_ps();
    const uint64_t start = pipes_.start_of(pipe, issue);
    uint64_t slowest = 0;
    for (uint32_t row = 0; row < transfer.rows; ++row) {
        uint8_t* tile = ub_.data() + ub_row(row);
        std::optional<MteStoreInjection> injection;
        if (transfer.to_gm && fault_injection_armed()) injection.emplace(tile, transfer.row_bytes);
        const uint64_t latency = transport(transfer.to_gm ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, gm_row(row),
                                           tile, transfer.row_bytes, start - issue);
        record(transfer.to_gm ? trace::Op::Write : trace::Op::Read, env_.map.region_of(gm_row(row), transfer.row_bytes),
               gm_row(row), transfer.row_bytes, start, latency);
        slowest = std::max(slowest, latency);
    }
    const uint32_t index = pipes_.record(pipe, start + ns_to_ps(env_.config.costs.mte_latency_ns) + slowest, transfer.name);
    for (uint32_t row = 0; row < transfer.rows; ++row) {
        ub_shadow_.note(static_cast<uint32_t>(ub_row(row)), transfer.row_bytes, !transfer.to_gm, {pipe, index});
        if (transfer.to_gm) gm_stores_.note_store(gm_row(row), transfer.row_bytes, {pipe, index});
    }
    charge(ns_to_ps(env_.config.vector_pipe.issue_ns));
}

uint64_t AivCore::vector_cycles(const VectorInstruction& instruction) const {
    const auto& costs = env_.config.vector_pipe;
    double rate = costs.simple_bytes_per_cycle, per_row = 0;
    switch (instruction.cost_class) {
        case VectorClass::Simple: break;
        case VectorClass::Convert: rate = costs.convert_bytes_per_cycle; break;
        case VectorClass::Divide: rate = costs.divide_bytes_per_cycle; break;
        case VectorClass::Transcendental: rate = costs.transcendental_bytes_per_cycle; break;
        case VectorClass::Reduce:
            rate = costs.reduce_bytes_per_cycle;
            per_row = costs.reduce_row_cycles;
            break;
    }
    return static_cast<uint64_t>(costs.startup_cycles + std::ceil(static_cast<double>(instruction.bytes) / rate) +
                                 per_row * instruction.rows);
}

void AivCore::vector(const VectorInstruction& instruction) {
    check_abort();
    if (static_cast<uint32_t>(instruction.cost_class) > static_cast<uint32_t>(VectorClass::Reduce)) {
        fault(FaultKind::ProgramError, 0, 0,
              std::string(instruction.name) + ": unknown vector cost class " +
                  std::to_string(static_cast<uint32_t>(instruction.cost_class)));
    }
    for (uint32_t i = 0; i < instruction.read_count; ++i) {
        check_ub(instruction.name, Pipe::V, instruction.reads[i].offset, instruction.reads[i].bytes, false);
    }
    for (uint32_t i = 0; i < instruction.write_count; ++i) {
        check_ub(instruction.name, Pipe::V, instruction.writes[i].offset, instruction.writes[i].bytes, true);
    }
    const uint64_t start = pipes_.start_of(Pipe::V, now_ps());
    const uint64_t busy = ns_to_ps(static_cast<double>(vector_cycles(instruction)) / env_.config.clocks.aicore_ghz);
    const uint32_t index = pipes_.record(Pipe::V, start + busy, instruction.name);
    for (uint32_t i = 0; i < instruction.read_count; ++i) {
        ub_shadow_.note(instruction.reads[i].offset, instruction.reads[i].bytes, false, {Pipe::V, index});
    }
    for (uint32_t i = 0; i < instruction.write_count; ++i) {
        ub_shadow_.note(instruction.writes[i].offset, instruction.writes[i].bytes, true, {Pipe::V, index});
    }
    charge(ns_to_ps(env_.config.vector_pipe.issue_ns));
}

void AivCore::check_pipe_pair(Pipe source, Pipe destination, uint32_t event, const char* call) {
    const auto describe = [&] {
        return std::string(call) + "(" + pipe_name(source) + ", " + pipe_name(destination) + ", EVENT_ID" +
               std::to_string(event) + ")";
    };
    if (static_cast<uint32_t>(source) >= kPipeCount || static_cast<uint32_t>(destination) >= kPipeCount ||
        !aiv_pipe(source) || !aiv_pipe(destination)) {
        fault(FaultKind::ProgramError, 0, 0, describe() + ": an AIV core has PIPE_S, PIPE_V, PIPE_MTE2 and PIPE_MTE3");
    }
    if (source == destination) fault(FaultKind::ProgramError, 0, 0, describe() + ": a flag orders two different pipes");
    if (event >= kPipeEventCount) {
        fault(FaultKind::ProgramError, 0, 0, describe() + ": event ids are EVENT_ID0 .. EVENT_ID" + std::to_string(kPipeEventCount - 1));
    }
}

void AivCore::set_flag(Pipe source, Pipe destination, uint32_t event) {
    check_abort();
    check_pipe_pair(source, destination, event, "set_flag");
    pipes_.set_flag(source, destination, event, now_ps());
    charge(ns_to_ps(env_.config.vector_pipe.issue_ns));
}

void AivCore::wait_flag(Pipe source, Pipe destination, uint32_t event) {
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
    charge(resume - issue + ns_to_ps(env_.config.vector_pipe.issue_ns));
}

void AivCore::pipe_barrier(Pipe pipe) {
    check_abort();
    if (pipe == Pipe::All) {
        const uint64_t issue = now_ps();
        charge(pipes_.barrier_all(issue) - issue);
        return;
    }
    if (static_cast<uint32_t>(pipe) >= kPipeCount || !aiv_pipe(pipe)) {
        fault(FaultKind::ProgramError, 0, 0,
              std::string("pipe_barrier(") + pipe_name(pipe) + "): an AIV core has PIPE_S, PIPE_V, PIPE_MTE2, PIPE_MTE3 and PIPE_ALL");
    }
    pipes_.barrier(pipe);
    charge(ns_to_ps(env_.config.vector_pipe.issue_ns));
}

TimedRegister& AivCore::locate_register(uint32_t core, uint32_t offset, bool for_write) {
    const uint64_t address = env_.config.mmio_window_base(core) + offset;
    if (core != index()) {
        fault(FaultKind::ForeignRegister, address, 4,
              "aiv" + std::to_string(index()) + " may only access its own control registers");
    }
    const auto which = env_.mmio.decode_offset(offset);
    if (!which) fault(FaultKind::UnmappedAddress, address, 4, "no control register at offset " + std::to_string(offset));
    if (for_write && *which != ControlRegister::Cond) {
        fault(FaultKind::ForeignRegister, address, 4, "an AICore writes COND only (DATA_MAIN_BASE is the AICPU's)");
    }
    return env_.mmio.own_register(core, *which);
}

uint32_t AivCore::sample_register(uint32_t, uint32_t, TimedRegister& reg) { return reg.value_at(now_ps()); }

void AivCore::write_register(uint32_t, uint32_t, TimedRegister& reg, uint32_t value) {
    // COND becomes visible to the polling AICPU after the core-to-AICPU propagation delay.
    reg.write(value, now_ps() + ns_to_ps(env_.config.costs.core_store_to_aicpu_ns));
}

void AivCore::mmio_scalar(uint64_t address, void*, uint64_t bytes, bool write) {
    fault(FaultKind::AicoreMmioAccess, address, bytes,
          std::string("an AICore ") + (write ? "store" : "load") +
              " into the MMIO window hangs real silicon; use the core's own register access");
}

}  // namespace tandem::sim
