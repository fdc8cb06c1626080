// The shared-memory mailbox between the L3 parent and one chip child: a 128-byte header
// (fixed fields, the state word both sides wait on with a futex, the current message's
// descriptor) followed by the payload. One request is outstanding at a time:
//
//   Idle --parent posts--> Request --child takes--> Working --child posts--> Reply
//     ^                                                                        |
//     +--------------------------- parent takes -------------------------------+
//
// The mailbox starts in Request holding the Boot message, so start-up is an ordinary
// exchange. Whoever receives validates every header field and copies the payload out
// before reading it (the other process is not trusted to behave). docs/l3-worker.md.
#pragma once

#include "runtime/host/l3/shared_memory.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem::runtime::l3 {

inline constexpr uint32_t kMailboxMagic = 0x4D334C54;  // "TL3M" in little-endian memory order
inline constexpr uint16_t kMailboxVersion = 1;

// How a user makes every mailbox bigger, for messages that do not fit.
inline constexpr const char* kRaiseMailboxBytes =
    "raise the mailbox size: L3Options::mailbox_bytes in C++, tandem.Worker(..., mailbox_bytes=N) in Python";

enum class MailboxState : uint32_t { Idle = 1, Request = 2, Working = 3, Reply = 4 };
enum class MessageKind : uint32_t {
    Boot = 1,
    RegisterKernel = 2,
    Submit = 3,
    ArmFault = 4,
    Exit = 5,
    DeviceMalloc = 6,  // device memory of the child's chip (Worker::malloc / free / copy_to / copy_from)
    DeviceFree = 7,
    CopyToDevice = 8,
    CopyFromDevice = 9,
};
enum class ReplyStatus : uint32_t { Ok = 0, Rejected = 1, RunFailed = 2, ProtocolError = 3, InternalError = 4 };

const char* kind_name(MessageKind kind);

struct MailboxHeader {
    // Fixed when the parent creates the mailbox; checked on every receipt.
    uint32_t magic;             //  0
    uint16_t version;           //  4
    uint16_t header_bytes;      //  6  sizeof(MailboxHeader)
    uint64_t mailbox_bytes;     //  8  the whole mapping
    uint64_t payload_offset;    // 16  == header_bytes
    uint64_t payload_capacity;  // 24  mailbox_bytes - payload_offset
    int32_t device_id;          // 32
    int32_t parent_pid;         // 36
    // The exchange.
    uint32_t state;          // 40  MailboxState; the futex word
    uint32_t sequence;       // 44  request number (Boot = 1); a reply echoes it
    uint32_t kind;           // 48  MessageKind of the request; a reply echoes it
    uint32_t status;         // 52  ReplyStatus (replies)
    int32_t acl_code;        // 56  aclError of a failed run (replies)
    uint32_t reserved;       // 60
    uint64_t message_bytes;  // 64  payload bytes of the current message
    uint64_t device_runs;    // 72  runs the child started on its device (the child writes it)
    uint8_t padding[48];     // 80 .. 128
};
static_assert(sizeof(MailboxHeader) == 128, "the mailbox header is 128 bytes (docs/l3-worker.md)");
static_assert(offsetof(MailboxHeader, state) == 40 && offsetof(MailboxHeader, message_bytes) == 64 &&
                  offsetof(MailboxHeader, device_runs) == 72,
              "mailbox header offsets are fixed (docs/l3-worker.md)");

// A header field or message that fails validation. The mailbox can no longer be trusted.
struct MailboxError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A validated message, copied out of shared memory.
struct MailboxMessage {
    MessageKind kind;
    uint32_t sequence;
    ReplyStatus status;
    int32_t acl_code;
    std::vector<uint8_t> payload;
};

class Mailbox {
public:
    Mailbox() = default;
    // Parent, before the fork: a mailbox for `device_id` with at least `capacity` payload
    // bytes, holding the Boot request (sequence 1) with `boot_payload`.
    static Mailbox create(int32_t device_id, int32_t parent_pid, uint64_t capacity,
                          const std::vector<uint8_t>& boot_payload);

    // From this side's own mapping, never from the shared header.
    uint64_t payload_capacity() const { return memory_.size() - sizeof(MailboxHeader); }
    const SharedMemory& memory() const { return memory_; }
    void unmap() { memory_.reset(); }

    MailboxState state() const;
    // Sleeps until the state differs from `observed` or `timeout_ms` passes (futex).
    void wait_for_change(MailboxState observed, int timeout_ms) const;

    // Parent: Idle -> Request.
    void post_request(MessageKind kind, uint32_t sequence, const std::vector<uint8_t>& payload);
    // Child: validates the request and moves Request -> Working.
    MailboxMessage take_request(uint32_t expected_sequence);
    // Child: Working -> Reply.
    void post_reply(ReplyStatus status, int32_t acl_code, const std::vector<uint8_t>& payload);
    // Parent: validates the reply to request (`sequence`, `kind`) and moves Reply -> Idle.
    MailboxMessage take_reply(uint32_t sequence, MessageKind kind);

    uint64_t device_runs() const;
    void set_device_runs(uint64_t runs);

    // Checks the fixed fields against what this side holds in its own memory (the
    // mapping's size, the device, the parent); throws MailboxError naming the bad field.
    void validate_fixed_fields() const;

private:
    Mailbox(SharedMemory memory, int32_t device_id, int32_t parent_pid)
        : memory_(std::move(memory)), device_id_(device_id), parent_pid_(parent_pid) {}
    MailboxHeader& header() const { return *reinterpret_cast<MailboxHeader*>(memory_.data()); }
    uint8_t* payload() const { return memory_.data() + sizeof(MailboxHeader); }
    void write_payload(const std::vector<uint8_t>& payload);
    MailboxMessage read_message(MailboxState expected_state, uint32_t expected_sequence) const;
    void publish(MailboxState state);

    SharedMemory memory_;
    // Private copies (inherited through the fork) that the shared header must match.
    int32_t device_id_ = -1;
    int32_t parent_pid_ = -1;
};

}  // namespace tandem::runtime::l3
