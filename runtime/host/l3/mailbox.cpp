#include "runtime/host/l3/mailbox.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <ctime>

namespace tandem::runtime::l3 {
namespace {

// The state word is shared between processes, so the futex calls are not FUTEX_PRIVATE.
void futex_wait(uint32_t* word, uint32_t expected, int timeout_ms) {
    timespec timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1'000'000L};
    syscall(SYS_futex, word, FUTEX_WAIT, expected, &timeout, nullptr, 0);  // EAGAIN/ETIMEDOUT/EINTR: caller re-checks
}

void futex_wake_all(uint32_t* word) { syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0); }

bool valid_kind(uint32_t kind) {
    return kind >= uint32_t(MessageKind::Boot) && kind <= uint32_t(MessageKind::CopyFromDevice);
}
bool valid_status(uint32_t status) { return status <= uint32_t(ReplyStatus::InternalError); }

const char* state_name(uint32_t state) {
    switch (static_cast<MailboxState>(state)) {
        case MailboxState::Idle: return "Idle";
        case MailboxState::Request: return "Request";
        case MailboxState::Working: return "Working";
        case MailboxState::Reply: return "Reply";
    }
    return "invalid";
}

[[noreturn]] void reject(const std::string& what) { throw MailboxError("mailbox: " + what); }

}  // namespace

const char* kind_name(MessageKind kind) {
    switch (kind) {
        case MessageKind::Boot: return "Boot";
        case MessageKind::RegisterKernel: return "RegisterKernel";
        case MessageKind::Submit: return "Submit";
        case MessageKind::ArmFault: return "ArmFault";
        case MessageKind::Exit: return "Exit";
        case MessageKind::DeviceMalloc: return "DeviceMalloc";
        case MessageKind::DeviceFree: return "DeviceFree";
        case MessageKind::CopyToDevice: return "CopyToDevice";
        case MessageKind::CopyFromDevice: return "CopyFromDevice";
    }
    return "invalid";
}

Mailbox Mailbox::create(int32_t device_id, int32_t parent_pid, uint64_t capacity,
                        const std::vector<uint8_t>& boot_payload) {
    SharedMemory memory = SharedMemory::create(
        sizeof(MailboxHeader) + capacity, std::string(kSharedMemoryPrefix) + "mailbox-" + std::to_string(device_id));
    memory.close_fd();  // the child inherits the mapping itself
    Mailbox mailbox(std::move(memory), device_id, parent_pid);
    MailboxHeader& h = mailbox.header();
    h.magic = kMailboxMagic;
    h.version = kMailboxVersion;
    h.header_bytes = sizeof(MailboxHeader);
    h.mailbox_bytes = mailbox.memory_.size();
    h.payload_offset = sizeof(MailboxHeader);
    h.payload_capacity = mailbox.payload_capacity();
    h.device_id = device_id;
    h.parent_pid = parent_pid;
    h.sequence = 1;
    h.kind = uint32_t(MessageKind::Boot);
    mailbox.write_payload(boot_payload);
    h.state = uint32_t(MailboxState::Request);
    return mailbox;
}

MailboxState Mailbox::state() const {
    return static_cast<MailboxState>(__atomic_load_n(&header().state, __ATOMIC_ACQUIRE));
}

void Mailbox::wait_for_change(MailboxState observed, int timeout_ms) const {
    futex_wait(&header().state, uint32_t(observed), timeout_ms);
}

void Mailbox::publish(MailboxState state) {
    __atomic_store_n(&header().state, uint32_t(state), __ATOMIC_RELEASE);
    futex_wake_all(&header().state);
}

uint64_t Mailbox::device_runs() const { return __atomic_load_n(&header().device_runs, __ATOMIC_ACQUIRE); }
void Mailbox::set_device_runs(uint64_t runs) { __atomic_store_n(&header().device_runs, runs, __ATOMIC_RELEASE); }

void Mailbox::validate_fixed_fields() const {
    const MailboxHeader& h = header();
    if (h.magic != kMailboxMagic) reject("bad magic " + std::to_string(h.magic));
    if (h.version != kMailboxVersion) {
        reject("version " + std::to_string(h.version) + ", this side speaks " + std::to_string(kMailboxVersion));
    }
    if (h.header_bytes != sizeof(MailboxHeader)) reject("header_bytes " + std::to_string(h.header_bytes));
    if (h.mailbox_bytes != memory_.size()) {
        reject("mailbox_bytes " + std::to_string(h.mailbox_bytes) + " but " + std::to_string(memory_.size()) +
               " are mapped");
    }
    if (h.payload_offset != sizeof(MailboxHeader)) reject("payload_offset " + std::to_string(h.payload_offset));
    if (h.payload_capacity != payload_capacity()) {
        reject("payload_capacity " + std::to_string(h.payload_capacity));
    }
    if (h.device_id != device_id_)
        reject("device_id " + std::to_string(h.device_id) + ", expected " + std::to_string(device_id_));
    if (h.parent_pid != parent_pid_) reject("parent_pid " + std::to_string(h.parent_pid));
}

void Mailbox::write_payload(const std::vector<uint8_t>& payload) {
    if (payload.size() > payload_capacity()) {
        throw std::length_error("a " + std::to_string(payload.size()) + "-byte message does not fit the " +
                                std::to_string(payload_capacity()) + "-byte mailbox; " +
                                std::string(kRaiseMailboxBytes));
    }
    if (!payload.empty()) std::memcpy(this->payload(), payload.data(), payload.size());
    header().message_bytes = payload.size();
}

MailboxMessage Mailbox::read_message(MailboxState expected_state, uint32_t expected_sequence) const {
    validate_fixed_fields();
    const MailboxHeader& h = header();
    const uint32_t state = __atomic_load_n(&h.state, __ATOMIC_ACQUIRE);
    if (state != uint32_t(expected_state)) {
        reject(std::string("state ") + state_name(state) + " (" + std::to_string(state) + "), expected " +
               state_name(uint32_t(expected_state)));
    }
    // Each field is read once into the copy; validation and use both see the copy.
    const uint32_t sequence = h.sequence, kind = h.kind, status = h.status;
    const uint64_t bytes = h.message_bytes;
    if (sequence != expected_sequence) {
        reject("sequence " + std::to_string(sequence) + ", expected " + std::to_string(expected_sequence));
    }
    if (!valid_kind(kind)) reject("message kind " + std::to_string(kind));
    if (!valid_status(status)) reject("reply status " + std::to_string(status));
    if (bytes > payload_capacity()) {
        reject("message_bytes " + std::to_string(bytes) + " exceed the payload capacity " +
               std::to_string(payload_capacity()));
    }
    MailboxMessage message{static_cast<MessageKind>(kind), sequence, static_cast<ReplyStatus>(status), h.acl_code,
                           std::vector<uint8_t>(payload(), payload() + bytes)};
    return message;
}

void Mailbox::post_request(MessageKind kind, uint32_t sequence, const std::vector<uint8_t>& payload) {
    if (state() != MailboxState::Idle) throw std::logic_error("mailbox: a request is already outstanding");
    write_payload(payload);
    MailboxHeader& h = header();
    h.sequence = sequence;
    h.kind = uint32_t(kind);
    h.status = uint32_t(ReplyStatus::Ok);
    h.acl_code = 0;
    publish(MailboxState::Request);
}

MailboxMessage Mailbox::take_request(uint32_t expected_sequence) {
    MailboxMessage request = read_message(MailboxState::Request, expected_sequence);
    publish(MailboxState::Working);
    return request;
}

void Mailbox::post_reply(ReplyStatus status, int32_t acl_code, const std::vector<uint8_t>& payload) {
    write_payload(payload);
    MailboxHeader& h = header();
    h.status = uint32_t(status);
    h.acl_code = acl_code;
    publish(MailboxState::Reply);
}

MailboxMessage Mailbox::take_reply(uint32_t sequence, MessageKind kind) {
    MailboxMessage reply = read_message(MailboxState::Reply, sequence);
    if (reply.kind != kind) {
        reject(std::string("reply of kind ") + kind_name(reply.kind) + " to a " + kind_name(kind) + " request");
    }
    publish(MailboxState::Idle);
    return reply;
}

}  // namespace tandem::runtime::l3
