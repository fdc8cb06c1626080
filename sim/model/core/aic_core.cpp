#include "sim/model/core/aic_core.h"

#include "sim/model/core/time.h"

#include <algorithm>
#include <cmath>

namespace tandem::sim {
namespace {

uint32_t capacity(const ArchConfig& config, CubeBuffer buffer) {
    switch (buffer) {
        case CubeBuffer::L1: return config.memory.l1_bytes;
        case CubeBuffer::L0A: return config.memory.l0a_bytes;
        case CubeBuffer::L0B: return config.memory.l0b_bytes;
        case CubeBuffer::L0C: return config.memory.l0c_bytes;
        case CubeBuffer::Bt: return config.memory.bt_bytes;
    }
    return 0;
}

std::string buffer_text(CubeBuffer buffer) {
    return static_cast<uint32_t>(buffer) < kCubeBufferCount ? cube_buffer_name(buffer)
                                                            : "buffer " + std::to_string(static_cast<uint32_t>(buffer));
}

}  // namespace

AicCore::AicCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index)
    : AicoreBase(name, environment, trace::InitiatorKind::Aic, index, environment.config.aic_physical_id(index),
                 {Pipe::S, Pipe::M, Pipe::Mte1, Pipe::Mte2, Pipe::Fix},
                 ns_to_ps(environment.config.cube_pipe.issue_ns)),
      buffers_{make_buffer(environment.config, CubeBuffer::L1), make_buffer(environment.config, CubeBuffer::L0A),
               make_buffer(environment.config, CubeBuffer::L0B), make_buffer(environment.config, CubeBuffer::L0C),
               make_buffer(environment.config, CubeBuffer::Bt)} {}

AicCore::Buffer AicCore::make_buffer(const ArchConfig& config, CubeBuffer which) {
    return Buffer{std::vector<uint8_t>(capacity(config, which)), BufferShadow(capacity(config, which))};
}

void AicCore::task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) {
    AicoreBase::task_begin(run_id, task_id, kernel_address);
    for (Buffer& buffer : buffers_) buffer.shadow.begin_task();
}

AicCore::Buffer& AicCore::buffer(const char* name, CubeBuffer which) {
    if (static_cast<uint32_t>(which) >= kCubeBufferCount) {
        fault(FaultKind::ProgramError, 0, 0,
              std::string(name) + ": " + buffer_text(which) +
                  " is no cube buffer (L1 = 0, L0A = 1, L0B = 2, L0C = 3, BT = 4)");
    }
    return buffers_[static_cast<uint32_t>(which)];
}

uint32_t AicCore::cube_buffer_bytes(CubeBuffer which) const {
    return static_cast<uint32_t>(which) < kCubeBufferCount
               ? static_cast<uint32_t>(buffers_[static_cast<uint32_t>(which)].bytes.size())
               : 0;
}

uint8_t* AicCore::cube_buffer(CubeBuffer which, uint32_t offset, uint32_t bytes) {
    std::vector<uint8_t>& memory = buffer("cube_buffer", which).bytes;
    if (uint64_t(offset) + bytes > memory.size()) {
        fault(FaultKind::OutOfCubeBuffer, offset, bytes,
              std::string(cube_buffer_name(which)) + " range " + hex_range(offset, uint64_t(offset) + bytes) +
                  " exceeds the " + std::to_string(memory.size()) + "-byte " + cube_buffer_name(which));
    }
    return memory.data() + offset;
}

void AicCore::check_range(const char* name, Pipe pipe, const CubeRange& range, bool write) {
    Buffer& target = buffer(name, range.buffer);
    if (uint64_t(range.offset) + range.bytes > target.bytes.size()) {
        fault(FaultKind::OutOfCubeBuffer, range.offset, range.bytes,
              std::string(name) + " on " + pipe_name(pipe) + (write ? " writes " : " reads ") +
                  cube_buffer_name(range.buffer) + " " + hex_range(range.offset, uint64_t(range.offset) + range.bytes) +
                  ", past the " + std::to_string(target.bytes.size()) + "-byte " + cube_buffer_name(range.buffer));
    }
    check_buffer(target.shadow, cube_buffer_name(range.buffer), name, pipe, range.offset, range.bytes, write);
}

void AicCore::check_path(const char* name, Pipe pipe, const CubeRange& range, bool allowed, bool write,
                         const char* rule) {
    if (allowed) return;
    fault(FaultKind::ProgramError, range.offset, range.bytes,
          std::string(name) + " on " + pipe_name(pipe) + (write ? " writes " : " reads ") + buffer_text(range.buffer) +
              ", but " + rule);
}

uint64_t AicCore::cycles_ps(double cycles) const { return ns_to_ps(cycles / env_.config.clocks.aicore_ghz); }

void AicCore::cube_transfer(const CubeTransfer& transfer) {
    check_abort();
    const Pipe pipe = transfer.to_gm ? Pipe::Fix : Pipe::Mte2;
    const CubeBuffer path_buffer = transfer.to_gm ? CubeBuffer::L0C : CubeBuffer::L1;
    check_path(transfer.name, pipe, transfer.tile, transfer.tile.buffer == path_buffer, !transfer.to_gm,
               transfer.to_gm ? "PIPE_FIX stores L0C (Acc tiles) to GM" : "PIPE_MTE2 loads GM into L1 (Mat tiles)");
    check_range(transfer.name, pipe, transfer.tile, !transfer.to_gm);
    const uint64_t staged = uint64_t(transfer.rows) * transfer.row_bytes;
    if (staged && !transfer.staging) {
        fault(FaultKind::ProgramError, transfer.gm_address, staged,
              std::string(transfer.name) +
                  ": staging is NULL; pass a buffer of rows * row_bytes = " + std::to_string(staged) + " bytes");
    }
    const GmRows gm{transfer.rows, transfer.row_bytes, transfer.gm_address, transfer.gm_row_stride};
    check_gm_rows(transfer.name, pipe, transfer.to_gm, gm);
    const uint64_t start = pipes_.start_of(pipe, now_ps());
    const uint64_t slowest = transfer_gm_rows(
        transfer.to_gm, gm, start, [&](uint32_t row) { return transfer.staging + uint64_t(row) * transfer.row_bytes; });
    // FIX reads and converts L0C while the GM writes stream: the slower of the two bounds it.
    const uint64_t fix =
        transfer.to_gm ? cycles_ps(std::ceil(transfer.tile.bytes / env_.config.cube_pipe.fix_bytes_per_cycle)) : 0;
    const uint64_t busy = ns_to_ps(env_.config.costs.mte_latency_ns) + std::max(slowest, fix);
    const uint32_t index = pipes_.record(pipe, start + busy, transfer.name);
    Buffer& tile = buffers_[static_cast<uint32_t>(transfer.tile.buffer)];
    tile.shadow.note(transfer.tile.offset, transfer.tile.bytes, !transfer.to_gm, {pipe, index});
    if (transfer.to_gm) note_gm_rows_stored(gm, {pipe, index});
    charge_issue();
}

void AicCore::fix_to_ub(const FixToUb& transfer) {
    check_abort();
    const std::string call =
        std::string(transfer.name) + " (L0C -> UB of the cluster's AIV " + std::to_string(transfer.subblock) + ")";
    const double bytes_per_cycle = env_.config.cube_pipe.fix_to_ub_bytes_per_cycle;
    if (bytes_per_cycle <= 0) {
        fault(FaultKind::ProgramError, 0, 0,
              call + ": " + env_.config.arch +
                  " has no L0C -> UB path (cube_pipe.fix_to_ub_bytes_per_cycle is 0): store the Acc tile to GM "
                  "(TSTORE) and load it on the AIVs");
    }
    if (transfer.subblock > 1) fault(FaultKind::ProgramError, 0, 0, call + ": a cluster's AIVs are 0 and 1");
    AivCore* const aiv = cluster_aivs_[transfer.subblock];
    if (!aiv) fault(FaultKind::ProgramError, 0, 0, call + ": " + initiator_name() + " is in no AICore cluster");
    check_path(transfer.name, Pipe::Fix, transfer.tile, transfer.tile.buffer == CubeBuffer::L0C, false,
               "PIPE_FIX reads L0C (Acc tiles)");
    check_range(transfer.name, Pipe::Fix, transfer.tile, false);
    const uint64_t last_row_end =
        transfer.rows
            ? uint64_t(transfer.ub_offset) + uint64_t(transfer.rows - 1) * transfer.ub_row_stride + transfer.row_bytes
            : transfer.ub_offset;
    if (transfer.rows > 1 && transfer.row_bytes > transfer.ub_row_stride) {
        fault(FaultKind::ProgramError, transfer.ub_offset, transfer.row_bytes,
              call + ": rows of " + std::to_string(transfer.row_bytes) + " bytes overlap at a UB row stride of " +
                  std::to_string(transfer.ub_row_stride));
    }
    if (last_row_end > aiv->ub_bytes()) {
        fault(FaultKind::OutOfUb, transfer.ub_offset, last_row_end - transfer.ub_offset,
              call + ": UB range " + hex_range(transfer.ub_offset, last_row_end) + " exceeds the " +
                  std::to_string(aiv->ub_bytes()) + "-byte unified buffer of " + aiv->initiator_name());
    }
    const uint64_t staged = uint64_t(transfer.rows) * transfer.row_bytes;
    if (staged && !transfer.staging) {
        fault(FaultKind::ProgramError, 0, staged,
              call + ": staging is NULL; pass a buffer of rows * row_bytes = " + std::to_string(staged) + " bytes");
    }
    // FIX reads and converts L0C while it writes UB: the read bounds it (UB takes a row per cycle).
    const uint64_t start = pipes_.start_of(Pipe::Fix, now_ps());
    const uint64_t end = start + cycles_ps(std::ceil(transfer.tile.bytes / bytes_per_cycle));
    const ClusterUbTraffic::Window write{transfer.ub_offset, uint32_t(last_row_end), start, end, transfer.name,
                                         Pipe::Fix};
    if (const auto access =
            aiv->fix_write(write, transfer.rows, transfer.row_bytes, transfer.ub_row_stride, transfer.staging)) {
        fault(FaultKind::PipeHazard, transfer.ub_offset, last_row_end - transfer.ub_offset,
              call + " on PIPE_FIX writes UB " + hex_range(transfer.ub_offset, last_row_end) + " of " +
                  aiv->initiator_name() + " from " + std::to_string(start) + " ps, while its " + access->name + " on " +
                  pipe_name(access->pipe) + " accesses " + hex_range(access->begin, access->end) + " until " +
                  std::to_string(access->end_ps) +
                  " ps, and no cross-core flag orders them: the AIV sets one (ffts_cross_core_sync) once done with "
                  "the tile and the AIC waits for it (wait_flag_dev) before the " +
                  transfer.name);
    }
    const uint32_t index = pipes_.record(Pipe::Fix, end, transfer.name);
    buffers_[static_cast<uint32_t>(CubeBuffer::L0C)].shadow.note(transfer.tile.offset, transfer.tile.bytes, false,
                                                                 {Pipe::Fix, index});
    charge_issue();
}

double AicCore::instruction_cycles(const CubeInstruction& instruction) const {
    const auto& costs = env_.config.cube_pipe;
    if (instruction.cost_class == CubeClass::Move) {
        return costs.mte1_startup_cycles +
               std::ceil(static_cast<double>(instruction.bytes) / costs.mte1_bytes_per_cycle);
    }
    double rate = costs.f16_macs_per_cycle;
    if (instruction.element == CubeElement::F32) rate = costs.f32_macs_per_cycle;
    if (instruction.element == CubeElement::Int8) rate = costs.int8_macs_per_cycle;
    const double macs = static_cast<double>(instruction.m) * instruction.k * instruction.n;
    return costs.startup_cycles + std::ceil(macs / rate);
}

void AicCore::cube(const CubeInstruction& instruction) {
    check_abort();
    const char* name = instruction.name;
    const bool move = instruction.cost_class == CubeClass::Move;
    if (!move && instruction.cost_class != CubeClass::Matmul) {
        fault(FaultKind::ProgramError, 0, 0,
              std::string(name) + ": unknown cube cost class " +
                  std::to_string(static_cast<uint32_t>(instruction.cost_class)) +
                  " (TANDEM_CUBE_MOVE = 0, TANDEM_CUBE_MATMUL = 1)");
    }
    if (!move && static_cast<uint32_t>(instruction.element) > static_cast<uint32_t>(CubeElement::Int8)) {
        fault(FaultKind::ProgramError, 0, 0,
              std::string(name) + ": unknown matmul element type " +
                  std::to_string(static_cast<uint32_t>(instruction.element)) +
                  " (TANDEM_CUBE_F16 = 0, TANDEM_CUBE_F32 = 1, TANDEM_CUBE_INT8 = 2)");
    }
    const Pipe pipe = move ? Pipe::Mte1 : Pipe::M;
    for (uint32_t i = 0; i < instruction.read_count; ++i) {
        const CubeRange& range = instruction.reads[i];
        const bool allowed = move ? range.buffer == CubeBuffer::L1
                                  : range.buffer == CubeBuffer::L0A || range.buffer == CubeBuffer::L0B ||
                                        range.buffer == CubeBuffer::L0C || range.buffer == CubeBuffer::Bt;
        check_path(name, pipe, range, allowed, false,
                   move ? "PIPE_MTE1 moves L1 -> L0A / L0B / BT"
                        : "PIPE_M reads L0A, L0B and (accumulating) L0C or (with a bias) BT");
        check_range(name, pipe, range, false);
    }
    for (uint32_t i = 0; i < instruction.write_count; ++i) {
        const CubeRange& range = instruction.writes[i];
        const bool allowed =
            move ? range.buffer == CubeBuffer::L0A || range.buffer == CubeBuffer::L0B || range.buffer == CubeBuffer::Bt
                 : range.buffer == CubeBuffer::L0C;
        check_path(name, pipe, range, allowed, true,
                   move ? "PIPE_MTE1 moves L1 -> L0A / L0B / BT" : "PIPE_M writes L0C");
        check_range(name, pipe, range, true);
    }
    const uint64_t start = pipes_.start_of(pipe, now_ps());
    const uint32_t index = pipes_.record(pipe, start + cycles_ps(instruction_cycles(instruction)), name);
    for (uint32_t i = 0; i < instruction.read_count; ++i) {
        const CubeRange& range = instruction.reads[i];
        buffers_[static_cast<uint32_t>(range.buffer)].shadow.note(range.offset, range.bytes, false, {pipe, index});
    }
    for (uint32_t i = 0; i < instruction.write_count; ++i) {
        const CubeRange& range = instruction.writes[i];
        buffers_[static_cast<uint32_t>(range.buffer)].shadow.note(range.offset, range.bytes, true, {pipe, index});
    }
    charge_issue();
}

}  // namespace tandem::sim
