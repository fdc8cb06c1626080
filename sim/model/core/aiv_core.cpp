#include "sim/model/core/aiv_core.h"

#include "sim/model/core/time.h"
#include "sim/model/fault/fault_injection.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace tandem::sim {

AivCore::AivCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index)
    : AicoreBase(name, environment, trace::InitiatorKind::Aiv, index, index, {Pipe::S, Pipe::V, Pipe::Mte2, Pipe::Mte3},
                 ns_to_ps(environment.config.vector_pipe.issue_ns)),
      ub_(environment.config.memory.ub_bytes, 0),
      ub_shadow_(environment.config.memory.ub_bytes),
      cluster_writes_ub_(environment.config.cube_pipe.fix_to_ub_bytes_per_cycle > 0) {}

uint8_t* AivCore::ub(uint32_t offset, uint32_t bytes) {
    if (uint64_t(offset) + bytes > ub_.size()) {
        fault(FaultKind::OutOfUb, offset, bytes,
              "UB range [" + std::to_string(offset) + ", " + std::to_string(uint64_t(offset) + bytes) +
                  ") exceeds the " + std::to_string(ub_.size()) + "-byte unified buffer");
    }
    return ub_.data() + offset;
}

void AivCore::mte_transfer(bool to_gm, uint32_t ub_offset, uint64_t gm_address, uint32_t bytes) {
    check_abort();
    uint8_t* tile = ub(ub_offset, bytes);
    check_gm_endpoint("an MTE transfer", nullptr, gm_address, bytes);
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
    AicoreBase::task_begin(run_id, task_id, kernel_address);
    ub_shadow_.begin_task();
}

void AivCore::check_ub(const char* name, Pipe pipe, uint32_t offset, uint32_t bytes, bool write) {
    ub(offset, bytes);  // out of UB is its own fault
    check_buffer(ub_shadow_, "UB", name, pipe, offset, bytes, write);
}

void AivCore::mte(const MteTransfer& transfer) {
    check_abort();
    const Pipe pipe = transfer.to_gm ? Pipe::Mte3 : Pipe::Mte2;
    const auto ub_row = [&](uint32_t row) { return transfer.ub_offset + uint64_t(row) * transfer.ub_row_stride; };
    const GmRows gm{transfer.rows, transfer.row_bytes, transfer.gm_address, transfer.gm_row_stride};
    for (uint32_t row = 0; row < transfer.rows; ++row) {
        if (ub_row(row) + transfer.row_bytes > ub_.size()) {
            fault(FaultKind::OutOfUb, ub_row(row), transfer.row_bytes,
                  std::string(transfer.name) + ": UB range " +
                      hex_range(ub_row(row), ub_row(row) + transfer.row_bytes) + " exceeds the " +
                      std::to_string(ub_.size()) + "-byte unified buffer");
        }
        check_ub(transfer.name, pipe, static_cast<uint32_t>(ub_row(row)), transfer.row_bytes, !transfer.to_gm);
    }
    check_gm_rows(transfer.name, pipe, transfer.to_gm, gm);
    const uint64_t start = pipes_.start_of(pipe, now_ps());
    const uint64_t slowest = transfer_gm_rows(
        transfer.to_gm, gm, start, [&](uint32_t row) { return ub_.data() + ub_row(row); }, true);
    const uint64_t end = start + ns_to_ps(env_.config.costs.mte_latency_ns) + slowest;
    for (uint32_t row = 0; row < transfer.rows; ++row) {
        check_cluster_writes(transfer.name, pipe, static_cast<uint32_t>(ub_row(row)), transfer.row_bytes, start, end);
    }
    const uint32_t index = pipes_.record(pipe, end, transfer.name);
    for (uint32_t row = 0; row < transfer.rows; ++row) {
        ub_shadow_.note(static_cast<uint32_t>(ub_row(row)), transfer.row_bytes, !transfer.to_gm, {pipe, index});
    }
    if (transfer.to_gm) note_gm_rows_stored(gm, {pipe, index});
    charge_issue();
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
    for (const auto& ranges : {std::make_pair(instruction.reads, instruction.read_count),
                               std::make_pair(instruction.writes, instruction.write_count)}) {
        for (uint32_t i = 0; i < ranges.second; ++i) {
            check_cluster_writes(instruction.name, Pipe::V, ranges.first[i].offset, ranges.first[i].bytes, start,
                                 start + busy);
        }
    }
    const uint32_t index = pipes_.record(Pipe::V, start + busy, instruction.name);
    for (uint32_t i = 0; i < instruction.read_count; ++i) {
        ub_shadow_.note(instruction.reads[i].offset, instruction.reads[i].bytes, false, {Pipe::V, index});
    }
    for (uint32_t i = 0; i < instruction.write_count; ++i) {
        ub_shadow_.note(instruction.writes[i].offset, instruction.writes[i].bytes, true, {Pipe::V, index});
    }
    charge_issue();
}

void AivCore::check_cluster_writes(const char* name, Pipe pipe, uint32_t offset, uint32_t bytes, uint64_t start_ps,
                                   uint64_t end_ps) {
    if (!cluster_writes_ub_ || bytes == 0) return;
    const ClusterUbTraffic::Window access{offset, offset + bytes, start_ps, end_ps, name, pipe};
    if (const auto write = cluster_ub_.aiv_access(access, sim::now_ps())) {
        fault(FaultKind::PipeHazard, offset, bytes,
              std::string(name) + " on " + pipe_name(pipe) + " accesses UB " + hex_range(offset, offset + bytes) +
                  " from " + std::to_string(start_ps) + " ps, while the cluster's AIC writes " +
                  hex_range(write->begin, write->end) + " through PIPE_FIX (" + write->name + ") until " +
                  std::to_string(write->end_ps) +
                  " ps, and no cross-core flag orders them: set one on PIPE_FIX after the " + write->name +
                  " (ffts_cross_core_sync) and wait for it (wait_flag_dev) before the " + name);
    }
}

std::optional<ClusterUbTraffic::Window> AivCore::fix_write(const ClusterUbTraffic::Window& write, uint32_t rows,
                                                           uint32_t row_bytes, uint32_t stride,
                                                           const uint8_t* staging) {
    if (const auto access = cluster_ub_.fix_write(write, sim::now_ps())) return access;
    for (uint32_t row = 0; row < rows; ++row) {
        std::memcpy(ub_.data() + write.begin + uint64_t(row) * stride, staging + uint64_t(row) * row_bytes, row_bytes);
    }
    return std::nullopt;
}

}  // namespace tandem::sim
