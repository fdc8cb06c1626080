// Per-arch chip configuration, loaded from sim/model/config/<arch>.json. Every number in
// those files carries its source; the loader refuses a number without one, a key it
// does not know (typos) and a key that is missing, naming the file and the key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::sim {

// Every number of a config, declared once: X(section, C++ type, key, how it is read).
// The JSON key is the member's name, so the struct and the loader cannot disagree.
// How a value is read (Reader in arch_config.cpp): u32 (fits 32 bits), integer
// (non-negative, 64 bits), positive (> 0), non_negative (>= 0), flag (an integer, 0 is false).
#define TANDEM_ARCH_CONFIG_FIELDS_cores(X) \
    X(cores, uint32_t, aic, u32)           \
    X(cores, uint32_t, aiv, u32)           \
    X(cores, uint32_t, aicpu_cores, u32)   \
    X(cores, uint32_t, aicpu_threads, u32)
#define TANDEM_ARCH_CONFIG_FIELDS_clocks(X) \
    X(clocks, double, aicore_ghz, positive) \
    X(clocks, double, system_counter_mhz, positive)
#define TANDEM_ARCH_CONFIG_FIELDS_address_map(X)          \
    X(address_map, uint64_t, mmio_base, integer)          \
    X(address_map, uint64_t, mmio_window_stride, integer) \
    X(address_map, uint64_t, hbm_base, integer)           \
    X(address_map, uint64_t, host_window_base, integer)   \
    X(address_map, uint64_t, host_window_bytes, integer)
#define TANDEM_ARCH_CONFIG_FIELDS_registers(X)    \
    X(registers, uint32_t, dmb_offset, u32)       \
    X(registers, uint32_t, cond_offset, u32)      \
    X(registers, uint32_t, fast_path_offset, u32) \
    X(registers, uint32_t, fast_path_open, u32)   \
    X(registers, uint32_t, fast_path_close, u32)  \
    X(registers, bool, has_fast_path, flag)
#define TANDEM_ARCH_CONFIG_FIELDS_memory(X)              \
    X(memory, uint64_t, hbm_capacity_bytes, integer)     \
    X(memory, uint32_t, hbm_channels, u32)               \
    X(memory, double, hbm_channel_gbps, positive)        \
    X(memory, uint32_t, hbm_interleave_bytes, u32)       \
    X(memory, double, hbm_latency_ns, positive)          \
    X(memory, uint32_t, allocation_alignment_bytes, u32) \
    X(memory, uint32_t, ub_bytes, u32)                   \
    X(memory, uint32_t, l1_bytes, u32)                   \
    X(memory, uint32_t, l0a_bytes, u32)                  \
    X(memory, uint32_t, l0b_bytes, u32)                  \
    X(memory, uint32_t, l0c_bytes, u32)                  \
    X(memory, uint32_t, bt_bytes, u32)                   \
    X(memory, uint32_t, cache_line_bytes, u32)           \
    X(memory, uint32_t, data_cache_lines, u32)
// The host link and the copy path across it (sim/model/dma/host_copy_path.h): a copy costs the driver's
// per-call cost (costs.host_memcpy_call_ns) and one DMA set-up per DMA it submits; pageable host
// memory is staged through `staging_buffers` pinned buffers of `staging_chunk_bytes`, filled or
// drained by the host CPU at `host_memcpy_gbps`.
#define TANDEM_ARCH_CONFIG_FIELDS_host_link(X)       \
    X(host_link, double, bandwidth_gbps, positive)   \
    X(host_link, double, latency_ns, positive)       \
    X(host_link, uint32_t, dma_channels, u32)        \
    X(host_link, uint32_t, dma_burst_bytes, u32)     \
    X(host_link, double, dma_setup_ns, positive)     \
    X(host_link, double, host_memcpy_gbps, positive) \
    X(host_link, uint32_t, staging_chunk_bytes, u32) \
    X(host_link, uint32_t, staging_buffers, u32)     \
    X(host_link, bool, host_registration, flag)
#define TANDEM_ARCH_CONFIG_FIELDS_costs(X)                \
    X(costs, double, aicpu_mmio_load_ns, positive)        \
    X(costs, double, aicpu_mmio_store_ns, positive)       \
    X(costs, double, mmio_store_to_core_ns, positive)     \
    X(costs, double, aicore_reg_load_ns, positive)        \
    X(costs, double, aicore_reg_store_ns, positive)       \
    X(costs, double, core_store_to_aicpu_ns, positive)    \
    X(costs, double, aicpu_cache_hit_ns, positive)        \
    X(costs, double, aicpu_gm_path_ns, positive)          \
    X(costs, double, aicore_cache_hit_ns, positive)       \
    X(costs, double, cache_maintenance_line_ns, positive) \
    X(costs, double, barrier_ns, positive)                \
    X(costs, double, mte_latency_ns, positive)            \
    X(costs, double, host_malloc_ns, positive)            \
    X(costs, double, host_memcpy_call_ns, positive)       \
    X(costs, double, host_launch_ns, positive)            \
    X(costs, double, host_stream_query_ns, positive)      \
    X(costs, double, cross_core_flag_ns, positive)
// The AIV vector pipe: issue cost, start-up and per-class throughput.
#define TANDEM_ARCH_CONFIG_FIELDS_vector_pipe(X)                     \
    X(vector_pipe, double, issue_ns, positive)                       \
    X(vector_pipe, double, startup_cycles, non_negative)             \
    X(vector_pipe, double, simple_bytes_per_cycle, positive)         \
    X(vector_pipe, double, convert_bytes_per_cycle, positive)        \
    X(vector_pipe, double, divide_bytes_per_cycle, positive)         \
    X(vector_pipe, double, transcendental_bytes_per_cycle, positive) \
    X(vector_pipe, double, reduce_bytes_per_cycle, positive)         \
    X(vector_pipe, double, reduce_row_cycles, non_negative)
// The AIC cube core's pipes: issue cost, the cube's (PIPE_M) start-up and multiply-accumulates
// per cycle by input element type, the MTE1 (L1 -> L0A/L0B) and FIX (L0C -> GM) rates, and FIX's
// rate into a cluster AIV's UB (0: the arch has no L0C -> UB path).
#define TANDEM_ARCH_CONFIG_FIELDS_cube_pipe(X)              \
    X(cube_pipe, double, issue_ns, positive)                \
    X(cube_pipe, double, startup_cycles, non_negative)      \
    X(cube_pipe, double, f16_macs_per_cycle, positive)      \
    X(cube_pipe, double, f32_macs_per_cycle, positive)      \
    X(cube_pipe, double, int8_macs_per_cycle, positive)     \
    X(cube_pipe, double, mte1_startup_cycles, non_negative) \
    X(cube_pipe, double, mte1_bytes_per_cycle, positive)    \
    X(cube_pipe, double, fix_bytes_per_cycle, positive)     \
    X(cube_pipe, double, fix_to_ub_bytes_per_cycle, non_negative)
// Cold cores: what a core's first task costs beyond a later one (instruction fetch of the executor's
// and of each kernel's code into the core's instruction cache). 0 turns a part off.
#define TANDEM_ARCH_CONFIG_FIELDS_cold_core(X)            \
    X(cold_core, double, executor_fetch_ns, non_negative) \
    X(cold_core, double, kernel_fetch_ns, non_negative)
#define TANDEM_ARCH_CONFIG_FIELDS_sim(X) X(sim, double, quantum_ns, positive)
// The sections: S(struct type, JSON section and member name).
#define TANDEM_ARCH_CONFIG_SECTIONS(S) \
    S(Cores, cores)                    \
    S(Clocks, clocks)                  \
    S(AddressMap, address_map)         \
    S(Registers, registers)            \
    S(Memory, memory)                  \
    S(HostLink, host_link)             \
    S(Costs, costs)                    \
    S(VectorPipe, vector_pipe)         \
    S(CubePipe, cube_pipe)             \
    S(ColdCore, cold_core)             \
    S(Sim, sim)

struct ArchConfig {
    std::string arch;         // "a2a3" / "a5"
    std::string source_path;  // file it was loaded from
    uint64_t hash = 0;        // FNV-1a 64 of the file's bytes (provenance in traces and reports)

#define TANDEM_ARCH_CONFIG_DECLARE_FIELD(section, type, key, kind) type key;
#define TANDEM_ARCH_CONFIG_DECLARE_SECTION(Type, section)                     \
    struct Type {                                                             \
        TANDEM_ARCH_CONFIG_FIELDS_##section(TANDEM_ARCH_CONFIG_DECLARE_FIELD) \
    } section{};
    TANDEM_ARCH_CONFIG_SECTIONS(TANDEM_ARCH_CONFIG_DECLARE_SECTION)
#undef TANDEM_ARCH_CONFIG_DECLARE_SECTION
#undef TANDEM_ARCH_CONFIG_DECLARE_FIELD

    // Control-register windows by physical id: the AIV cores 0 .. aiv-1, then the AIC cores
    // (AIC i is aiv + i; a model assumption, docs/aic-pipes.md).
    uint64_t mmio_window_base(uint32_t physical_id) const {
        return address_map.mmio_base + uint64_t(physical_id) * address_map.mmio_window_stride;
    }
    uint32_t aicore_count() const { return cores.aiv + cores.aic; }
    uint32_t aic_physical_id(uint32_t aic_index) const { return cores.aiv + aic_index; }
    uint64_t mmio_bytes() const { return uint64_t(aicore_count()) * address_map.mmio_window_stride; }
};

// One "section.key=value" override of a config entry's value (harness run --set, TANDEM_SIM_SET).
struct ConfigOverride {
    std::string key;    // "memory.hbm_latency_ns"
    std::string value;  // as JSON: a number, or a string such as "0x100000000"
};
// "a.b=1,c.d=0x10" -> overrides; throws std::runtime_error naming an entry without "=" or a key
// that is not "section.key".
std::vector<ConfigOverride> parse_config_overrides(const std::string& text);

// Loads and validates a config file, with `overrides` replacing entries' values (each must name an
// existing entry). The hash covers the file and the overrides. Throws std::runtime_error with the
// file and key.
ArchConfig load_arch_config_file(const std::string& path, const std::vector<ConfigOverride>& overrides = {});

// Resolves an arch name ("a2a3", "a5") or a path to a .json file. Arch names are
// looked up in $TANDEM_CONFIG_DIR, else in the source tree's sim/model/config.
ArchConfig load_arch_config(const std::string& arch_or_path, const std::vector<ConfigOverride>& overrides = {});

std::string default_config_dir();

}  // namespace tandem::sim
