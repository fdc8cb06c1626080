#include "runtime/host/l3/mailbox_codec.h"

#include "runtime/host/l3/fd_channel.h"
#include "runtime/host/tensor.h"

#include <set>

namespace tandem::runtime::l3 {
namespace {

constexpr uint64_t kMaxStringBytes = 4096;

[[noreturn]] void reject(const std::string& what) { throw MailboxError("mailbox message: " + what); }

// Strings travel as a reference section and a character section.
void add_strings(MessageWriter& writer, const std::vector<std::string>& strings) {
    std::vector<StringRef> refs;
    std::vector<char> chars;
    for (const std::string& s : strings) {
        refs.push_back(StringRef{static_cast<uint32_t>(chars.size()), static_cast<uint32_t>(s.size())});
        chars.insert(chars.end(), s.begin(), s.end());
    }
    writer.add(refs);
    writer.add(chars);
}

std::vector<std::string> get_strings(const MessageReader& reader, uint32_t refs_section, bool allow_empty) {
    const std::vector<StringRef> refs = reader.get<StringRef>(refs_section);
    const std::vector<char> chars = reader.get<char>(refs_section + 1);
    std::vector<std::string> strings;
    for (const StringRef& ref : refs) {
        if (uint64_t(ref.offset) + ref.length > chars.size()) reject("a string runs past its section");
        if (ref.length > kMaxStringBytes) reject("a string of " + std::to_string(ref.length) + " bytes is too long");
        if (ref.length == 0 && !allow_empty) reject("an empty name");
        strings.emplace_back(chars.data() + ref.offset, ref.length);
    }
    return strings;
}

void check_range(uint64_t first, uint64_t count, uint64_t size, const std::string& what) {
    if (first > size || count > size - first) {
        reject(what + " [" + std::to_string(first) + ", +" + std::to_string(count) + ") is outside its " +
               std::to_string(size) + " records");
    }
}

void check_tensor(const TensorRecord& t, size_t index) {
    const std::string name = "tensor " + std::to_string(index);
    if (t.location < uint32_t(TensorLocation::Mapped) || t.location > uint32_t(TensorLocation::HostMapped)) {
        reject(name + ": location " + std::to_string(t.location));
    }
    if (t.direction > uint32_t(Direction::InOut)) reject(name + ": direction " + std::to_string(t.direction));
    if (t.dtype >= kDTypeCount) reject(name + ": dtype " + std::to_string(t.dtype));
    if (t.ndims == 0 || t.ndims > kMaxDims) reject(name + ": ndims " + std::to_string(t.ndims));
    for (uint32_t d = t.ndims; d < kMaxDims; ++d) {
        if (t.shape[d] != 0) reject(name + ": shape beyond ndims is not zero");
    }
    if (t.verify_content > 1) reject(name + ": verify_content " + std::to_string(t.verify_content));
    if (t.verify_content && t.location != uint32_t(TensorLocation::ForkInherited)) {
        reject(name + ": verify_content on a tensor that is not fork-inherited");
    }
    if (t.location == uint32_t(TensorLocation::Mapped) ? t.token == 0 : t.address == 0)
        reject(name + ": token or address 0");
    const uint64_t bytes = record_bytes(t);
    if (t.address > UINT64_MAX - bytes) reject(name + ": address + size overflows");
}

}  // namespace

uint64_t record_bytes(const TensorRecord& record) {
    uint64_t bytes = dtype_bytes(static_cast<DType>(record.dtype));
    for (uint32_t d = 0; d < record.ndims && d < kMaxDims; ++d) {
        bytes *= record.shape[d];
        if (bytes > kMaxDeviceBytes) reject("a tensor of more than 2^48 bytes");
    }
    return bytes;
}

// Submit sections: 0 maps, 1 releases, 2 tasks, 3 tensors, 4 scalars, 5 after, 6-7 kernel names, 8 run limits.
std::vector<uint8_t> encode_submit(const SubmitMessage& m) {
    MessageWriter writer;
    writer.add(m.maps);
    writer.add(m.releases);
    writer.add(m.tasks);
    writer.add(m.tensors);
    writer.add(m.scalars);
    writer.add(m.after);
    add_strings(writer, m.kernels);
    writer.add(std::vector<RunLimitsRecord>{RunLimitsRecord{m.run_timeout_ms, 0}});
    return writer.finish();
}

SubmitMessage decode_submit(const std::vector<uint8_t>& payload) {
    const MessageReader reader(payload, 9);
    const std::vector<RunLimitsRecord> limits = reader.get<RunLimitsRecord>(8);
    if (limits.size() != 1 || limits[0].run_timeout_ms < 0)
        reject("a submission needs one run limits record, timeout >= 0");
    SubmitMessage m{reader.get<MapRecord>(0),      reader.get<uint64_t>(1), reader.get<TaskRecord>(2),
                    reader.get<TensorRecord>(3),   reader.get<uint64_t>(4), reader.get<uint32_t>(5),
                    get_strings(reader, 6, false), limits[0].run_timeout_ms};
    if (m.maps.size() > FdChannel::kMaxFdsPerMessage)
        reject(std::to_string(m.maps.size()) + " new mappings in one message");
    std::set<uint64_t> tokens;
    for (const MapRecord& map : m.maps) {
        if (map.token == 0 || map.bytes == 0) reject("a mapping with token or size 0");
        if (!tokens.insert(map.token).second) reject("token " + std::to_string(map.token) + " mapped twice");
    }
    for (uint64_t token : m.releases) {
        if (token == 0) reject("a release of token 0");
    }
    for (size_t i = 0; i < m.tensors.size(); ++i) check_tensor(m.tensors[i], i);
    for (uint32_t task = 0; task < m.tasks.size(); ++task) {
        const TaskRecord& t = m.tasks[task];
        const std::string name = "task " + std::to_string(task);
        if (t.kernel >= m.kernels.size()) reject(name + ": kernel index " + std::to_string(t.kernel));
        check_range(t.first_tensor, t.tensor_count, m.tensors.size(), name + " tensors");
        check_range(t.first_scalar, t.scalar_count, m.scalars.size(), name + " scalars");
        check_range(t.first_after, t.after_count, m.after.size(), name + " predecessors");
        for (uint32_t i = 0; i < t.after_count; ++i) {
            if (m.after[t.first_after + i] >= task) reject(name + " depends on a task that is not earlier");
        }
    }
    return m;
}

// RegisterKernel sections: 0-1 the strings kernel, binary path, symbol, core type ("aiv", "aic").
std::vector<uint8_t> encode_kernel(const KernelMessage& m) {
    MessageWriter writer;
    add_strings(writer, {m.kernel, m.binary_path, m.symbol, kernel_core_name(m.core)});
    return writer.finish();
}

KernelMessage decode_kernel(const std::vector<uint8_t>& payload) {
    const MessageReader reader(payload, 2);
    const std::vector<std::string> strings = get_strings(reader, 0, false);
    if (strings.size() != 4) reject("a kernel registration needs 4 strings, got " + std::to_string(strings.size()));
    if (strings[3] != "aiv" && strings[3] != "aic") reject("a kernel registration for core type '" + strings[3] + "'");
    return KernelMessage{strings[0], strings[1], strings[2], kernel_core_from_name(strings[3])};
}

// Boot reply sections: 0 BootRecord, 1-2 the arch name.
std::vector<uint8_t> encode_boot_reply(const BootReply& r) {
    MessageWriter writer;
    writer.add(std::vector<BootRecord>{BootRecord{r.vector_cores, 0}});
    add_strings(writer, {r.arch});
    return writer.finish();
}

BootReply decode_boot_reply(const std::vector<uint8_t>& payload) {
    const MessageReader reader(payload, 3);
    const std::vector<BootRecord> record = reader.get<BootRecord>(0);
    const std::vector<std::string> arch = get_strings(reader, 1, false);
    if (record.size() != 1 || arch.size() != 1) reject("a boot reply needs one record and one arch name");
    if (record[0].vector_cores == 0) reject("a chip with 0 vector cores");
    return BootReply{arch[0], record[0].vector_cores};
}

// Submit reply sections: 0 TimingRecord per task.
std::vector<uint8_t> encode_timeline(const std::vector<TimingRecord>& timeline) {
    MessageWriter writer;
    writer.add(timeline);
    return writer.finish();
}

std::vector<TimingRecord> decode_timeline(const std::vector<uint8_t>& payload, size_t tasks) {
    const MessageReader reader(payload, 1);
    std::vector<TimingRecord> timeline = reader.get<TimingRecord>(0);
    if (timeline.size() != tasks) {
        reject("a timeline of " + std::to_string(timeline.size()) + " tasks for a run of " + std::to_string(tasks));
    }
    for (uint32_t i = 0; i < timeline.size(); ++i) {
        if (timeline[i].task != i)
            reject("timeline record " + std::to_string(i) + " is for task " + std::to_string(timeline[i].task));
    }
    return timeline;
}

// ArmFault sections: 0 one FaultRecord.
std::vector<uint8_t> encode_fault(ChildFault fault) {
    MessageWriter writer;
    writer.add(std::vector<FaultRecord>{FaultRecord{uint32_t(fault), 0}});
    return writer.finish();
}

ChildFault decode_fault(const std::vector<uint8_t>& payload) {
    const std::vector<FaultRecord> record = MessageReader(payload, 1).get<FaultRecord>(0);
    if (record.size() != 1 || record[0].fault > uint32_t(ChildFault::Hang)) reject("a malformed fault record");
    return static_cast<ChildFault>(record[0].fault);
}

// DeviceMalloc / DeviceFree / CopyFromDevice request and DeviceMalloc reply sections: 0 one MemoryRecord.
std::vector<uint8_t> encode_memory(const MemoryRecord& record) {
    MessageWriter writer;
    writer.add(std::vector<MemoryRecord>{record});
    return writer.finish();
}

MemoryRecord decode_memory(const std::vector<uint8_t>& payload) {
    const std::vector<MemoryRecord> record = MessageReader(payload, 1).get<MemoryRecord>(0);
    if (record.size() != 1) reject("a device memory message needs one record");
    if (record[0].bytes > kMaxDeviceBytes) reject("a device memory request of more than 2^48 bytes");
    return record[0];
}

// CopyToDevice request sections: 0 one MemoryRecord, 1 the bytes.
std::vector<uint8_t> encode_copy_to(uint64_t address, const void* data, uint64_t bytes) {
    const auto* begin = static_cast<const uint8_t*>(data);
    MessageWriter writer;
    writer.add(std::vector<MemoryRecord>{MemoryRecord{address, bytes}});
    writer.add(std::vector<uint8_t>(begin, begin + bytes));
    return writer.finish();
}

CopyToMessage decode_copy_to(const std::vector<uint8_t>& payload) {
    const MessageReader reader(payload, 2);
    const std::vector<MemoryRecord> record = reader.get<MemoryRecord>(0);
    if (record.size() != 1) reject("a copy needs one record");
    CopyToMessage message{record[0], reader.get<uint8_t>(1)};
    if (message.data.size() != message.target.bytes || message.target.address == 0 || message.target.bytes == 0) {
        reject("a copy of " + std::to_string(message.data.size()) + " bytes announced as " +
               std::to_string(message.target.bytes) + " bytes to address " + std::to_string(message.target.address));
    }
    return message;
}

// CopyFromDevice reply sections: 0 the bytes.
std::vector<uint8_t> encode_bytes(const std::vector<uint8_t>& bytes) {
    MessageWriter writer;
    writer.add(bytes);
    return writer.finish();
}

std::vector<uint8_t> decode_bytes(const std::vector<uint8_t>& payload, uint64_t expected) {
    std::vector<uint8_t> bytes = MessageReader(payload, 1).get<uint8_t>(0);
    if (bytes.size() != expected) {
        reject(std::to_string(bytes.size()) + " bytes copied, " + std::to_string(expected) + " asked for");
    }
    return bytes;
}

// Error reply sections: 0-1 one string.
std::vector<uint8_t> encode_text(const std::string& text) {
    MessageWriter writer;
    add_strings(writer, {text.substr(0, kMaxStringBytes)});
    return writer.finish();
}

std::string decode_text(const std::vector<uint8_t>& payload) {
    const std::vector<std::string> strings = get_strings(MessageReader(payload, 2), 0, true);
    if (strings.size() != 1) reject("an error reply needs one string");
    return strings[0];
}

std::vector<uint8_t> encode_empty() { return MessageWriter().finish(); }
void decode_empty(const std::vector<uint8_t>& payload) { static_cast<void>(MessageReader(payload, 0)); }

}  // namespace tandem::runtime::l3
