// Per-arch chip configuration, loaded from sim/config/<arch>.json. Every number in
// those files carries its source; the loader refuses a number without one, a key it
// does not know (typos) and a key that is missing, naming the file and the key.
#pragma once

#include <cstdint>
#include <string>

namespace tandem::sim {

struct ArchConfig {
    std::string arch;         // "a2a3" / "a5"
    std::string source_path;  // file it was loaded from
    uint64_t hash = 0;        // FNV-1a 64 of the file's bytes (provenance in traces and reports)

    struct Cores {
        uint32_t aic, aiv, aicpu_cores, aicpu_threads;
    } cores{};
    struct Clocks {
        double aicore_ghz, system_counter_mhz;
    } clocks{};
    struct AddressMap {
        uint64_t mmio_base, mmio_window_stride, hbm_base, host_window_base, host_window_bytes;
    } address_map{};
    struct Registers {
        uint32_t dmb_offset, cond_offset, fast_path_offset, fast_path_open, fast_path_close;
        bool has_fast_path;
    } registers{};
    struct Memory {
        uint64_t hbm_capacity_bytes;
        uint32_t hbm_channels;
        double hbm_channel_gbps;
        uint32_t hbm_interleave_bytes;
        double hbm_latency_ns;
        uint32_t allocation_alignment_bytes, ub_bytes, cache_line_bytes, data_cache_lines;
    } memory{};
    struct HostLink {
        double bandwidth_gbps, latency_ns;
        uint32_t dma_channels, dma_burst_bytes;
    } host_link{};
    struct Costs {
        double aicpu_mmio_load_ns, aicpu_mmio_store_ns, mmio_store_to_core_ns;
        double aicore_reg_load_ns, aicore_reg_store_ns, core_store_to_aicpu_ns;
        double aicpu_cache_hit_ns, aicpu_gm_path_ns, aicore_cache_hit_ns;
        double cache_maintenance_line_ns, barrier_ns;
        double mte_latency_ns;
        double host_malloc_ns, host_memcpy_call_ns, host_launch_ns, host_stream_query_ns;
    } costs{};
    // The AIV vector pipe: issue cost, start-up and per-class throughput.
    struct VectorPipe {
        double issue_ns, startup_cycles;
        double simple_bytes_per_cycle, convert_bytes_per_cycle, divide_bytes_per_cycle,
            transcendental_bytes_per_cycle, reduce_bytes_per_cycle;
        double reduce_row_cycles;
    } vector_pipe{};
    struct Sim {
        double quantum_ns;
    } sim{};

    uint64_t mmio_window_base(uint32_t aiv_core) const {
        return address_map.mmio_base + uint64_t(aiv_core) * address_map.mmio_window_stride;
    }
    uint64_t mmio_bytes() const { return uint64_t(cores.aiv) * address_map.mmio_window_stride; }
};

// Loads and validates a config file. Throws std::runtime_error with the file and key.
ArchConfig load_arch_config_file(const std::string& path);

// Resolves an arch name ("a2a3", "a5") or a path to a .json file. Arch names are
// looked up in $TANDEM_CONFIG_DIR, else in the source tree's sim/config.
ArchConfig load_arch_config(const std::string& arch_or_path);

std::string default_config_dir();

}  // namespace tandem::sim
