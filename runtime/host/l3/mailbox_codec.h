// The records and message layouts of each mailbox message kind, and their encoding.
// Decoding validates every field and cross reference (indices, enums, sizes), so the
// receiver only ever acts on a well-formed message; violations throw MailboxError.
// docs/l3-worker.md lists the sections of each kind.
#pragma once

#include "runtime/host/l3/mailbox_message.h"
#include "runtime/host/l3/worker_types.h"
#include "runtime/platform/tensor_descriptor.h"

#include <string>
#include <vector>

namespace tandem::runtime::l3 {

// The most a tensor or a device allocation may span: far beyond any device, and it keeps
// address arithmetic exact.
inline constexpr uint64_t kMaxDeviceBytes = 1ull << 48;

// Where a tensor's data is, as the child resolves it.
enum class TensorLocation : uint32_t {
    Mapped = 1,         // shared memory `token` (a created buffer or a registration's mirror), at `address` = offset
    ForkInherited = 2,  // the same virtual address in the child, inherited through the fork
    Device = 3,         // child_memory: a device address on the child's chip
    HostMapped = 4,     // host memory the child's chip maps: its device address
};

struct StringRef {
    uint32_t offset;
    uint32_t length;
};

struct MapRecord {
    uint64_t token;
    uint64_t bytes;
};

struct TaskRecord {
    uint32_t kernel;  // index into the kernel names
    uint32_t first_tensor, tensor_count;
    uint32_t first_scalar, scalar_count;
    uint32_t first_after, after_count;
    uint32_t reserved;
};

struct TensorRecord {
    uint64_t token;         // Mapped
    uint64_t address;       // Mapped: offset; otherwise the address
    uint64_t content_hash;  // ForkInherited with verify_content: the parent's bytes
    uint32_t location;      // TensorLocation
    uint32_t direction;     // Direction
    uint32_t dtype;         // DType
    uint32_t ndims;
    uint32_t shape[kMaxDims];
    uint32_t verify_content;  // 1: the child checks its copy still holds the parent's bytes
};
static_assert(sizeof(TensorRecord) == 64, "TensorRecord is 64 bytes (docs/l3-worker.md)");

struct TimingRecord {
    uint32_t task;
    uint32_t core;
    uint32_t core_type;  // KernelCore
    uint32_t reserved;
    uint64_t dispatch_ns, start_ns, end_ns;
};

struct BootRecord {
    uint32_t vector_cores;
    uint32_t reserved;
};

// Device memory requests: an address on the child's chip (untagged) and a size.
struct MemoryRecord {
    uint64_t address;  // DeviceMalloc: 0
    uint64_t bytes;    // DeviceFree: 0
};

// A submission's device-time limit (ms); 0: the chip's default (ChipWorker::run).
struct RunLimitsRecord {
    int32_t run_timeout_ms;
    uint32_t reserved;
};

struct FaultRecord {
    uint32_t fault;  // ChildFault
    uint32_t reserved;
};

// Submit: everything one TaskGraph run needs, with host tensors resolved to locations.
struct SubmitMessage {
    std::vector<MapRecord> maps;     // shared memory to map first; the descriptors follow on the FdChannel
    std::vector<uint64_t> releases;  // tokens to unmap (freed or unregistered in the parent)
    std::vector<TaskRecord> tasks;
    std::vector<TensorRecord> tensors;
    std::vector<uint64_t> scalars;
    std::vector<uint32_t> after;
    std::vector<std::string> kernels;  // TaskRecord::kernel indexes this
    int32_t run_timeout_ms = 0;        // device-time limit of the run; 0: the chip's default
};
std::vector<uint8_t> encode_submit(const SubmitMessage& message);
SubmitMessage decode_submit(const std::vector<uint8_t>& payload);
// Bytes a tensor record covers (validated shape).
uint64_t record_bytes(const TensorRecord& record);

struct KernelMessage {
    std::string kernel, binary_path, symbol;
    KernelCore core;
};
std::vector<uint8_t> encode_kernel(const KernelMessage& message);
KernelMessage decode_kernel(const std::vector<uint8_t>& payload);

struct BootReply {
    std::string arch;
    uint32_t vector_cores = 0;
};
std::vector<uint8_t> encode_boot_reply(const BootReply& reply);
BootReply decode_boot_reply(const std::vector<uint8_t>& payload);

std::vector<uint8_t> encode_timeline(const std::vector<TimingRecord>& timeline);
// `tasks`: the submission's task count; the timeline must have one record per task, in order.
std::vector<TimingRecord> decode_timeline(const std::vector<uint8_t>& payload, size_t tasks);

std::vector<uint8_t> encode_fault(ChildFault fault);
ChildFault decode_fault(const std::vector<uint8_t>& payload);

// DeviceMalloc (request: bytes; reply: address), DeviceFree (request: address),
// CopyFromDevice (request: address and bytes): one MemoryRecord.
std::vector<uint8_t> encode_memory(const MemoryRecord& record);
MemoryRecord decode_memory(const std::vector<uint8_t>& payload);
// CopyToDevice request: where, and the bytes to write there.
struct CopyToMessage {
    MemoryRecord target;
    std::vector<uint8_t> data;  // target.bytes of them
};
std::vector<uint8_t> encode_copy_to(uint64_t address, const void* data, uint64_t bytes);
CopyToMessage decode_copy_to(const std::vector<uint8_t>& payload);
// CopyFromDevice reply: the bytes read; `expected` of them.
std::vector<uint8_t> encode_bytes(const std::vector<uint8_t>& bytes);
std::vector<uint8_t> decode_bytes(const std::vector<uint8_t>& payload, uint64_t expected);
// Payload bytes a CopyToDevice request or CopyFromDevice reply needs beside its data.
inline constexpr uint64_t kCopyMessageOverhead = 128;

// Error replies and empty messages.
std::vector<uint8_t> encode_text(const std::string& text);
std::string decode_text(const std::vector<uint8_t>& payload);
std::vector<uint8_t> encode_empty();
void decode_empty(const std::vector<uint8_t>& payload);

}  // namespace tandem::runtime::l3
