// libFuzzer entry for the L3 mailbox codec (runtime/host/l3/mailbox_codec.*): the first
// byte picks a message kind, the rest is its payload. Every input must be rejected with
// MailboxError or decode into a message that re-encodes to a payload decoding to the same
// message; any other exception, crash or sanitizer report is a bug. Built as
// mailbox_fuzz_codec with clang (-DTANDEM_MAILBOX_FUZZER=ON) and run deterministically by
// the mailbox fuzz smoke test.
#include "runtime/host/l3/mailbox_codec.h"

#include <cstdlib>
#include <cstring>

using namespace tandem::runtime::l3;

namespace {

template <typename T>
bool same_records(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_submit(const SubmitMessage& a, const SubmitMessage& b) {
    return same_records(a.maps, b.maps) && a.releases == b.releases && same_records(a.tasks, b.tasks) &&
           same_records(a.tensors, b.tensors) && a.scalars == b.scalars && a.after == b.after && a.kernels == b.kernels;
}

void require(bool condition) {
    if (!condition) std::abort();
}

void decode_as(uint8_t kind, const std::vector<uint8_t>& payload) {
    switch (kind % 10) {
        case 0: {
            const SubmitMessage m = decode_submit(payload);
            require(same_submit(decode_submit(encode_submit(m)), m));
            for (const TensorRecord& tensor : m.tensors) record_bytes(tensor);
            break;
        }
        case 1: {
            const KernelMessage m = decode_kernel(payload);
            const KernelMessage back = decode_kernel(encode_kernel(m));
            require(back.kernel == m.kernel && back.binary_path == m.binary_path && back.symbol == m.symbol);
            break;
        }
        case 2: {
            const BootReply r = decode_boot_reply(payload);
            const BootReply back = decode_boot_reply(encode_boot_reply(r));
            require(back.arch == r.arch && back.vector_cores == r.vector_cores);
            break;
        }
        case 3: {
            // The task count comes from the submission; the kind byte's high part stands in.
            const auto timeline = decode_timeline(payload, kind / 10);
            require(same_records(decode_timeline(encode_timeline(timeline), timeline.size()), timeline));
            break;
        }
        case 4: require(decode_fault(encode_fault(decode_fault(payload))) == decode_fault(payload)); break;
        case 5: {
            const MemoryRecord r = decode_memory(payload);
            const MemoryRecord back = decode_memory(encode_memory(r));
            require(back.address == r.address && back.bytes == r.bytes);
            break;
        }
        case 6: {
            const CopyToMessage m = decode_copy_to(payload);
            const CopyToMessage back = decode_copy_to(encode_copy_to(m.target.address, m.data.data(), m.data.size()));
            require(back.target.address == m.target.address && back.data == m.data);
            break;
        }
        case 7: {
            const std::vector<uint8_t> bytes = decode_bytes(payload, kind / 10);
            require(decode_bytes(encode_bytes(bytes), bytes.size()) == bytes);
            break;
        }
        case 8: {
            const std::string text = decode_text(payload);
            require(decode_text(encode_text(text)) == text);
            break;
        }
        default: decode_empty(payload); break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::vector<uint8_t> payload(data + 1, data + size);
    try {
        decode_as(data[0], payload);
    } catch (const MailboxError&) {
        // A rejected message: the expected outcome for most inputs.
    }
    return 0;
}
