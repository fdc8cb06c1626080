// The mailbox and its messages, in one process: every header field and every message
// field is validated on receipt, and a bad one is named.
#include "l3_test_support.h"
#include "runtime/host/l3/mailbox_codec.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <functional>

using namespace tandem;
using namespace tandem::runtime::l3;
using Catch::Matchers::Contains;

namespace {

MailboxHeader& header_of(Mailbox& mailbox) { return *reinterpret_cast<MailboxHeader*>(mailbox.memory().data()); }

// A fresh mailbox (Boot request outstanding) with `corrupt` applied must fail take_request naming `field`.
void expect_request_rejected(const std::function<void(MailboxHeader&)>& corrupt, const std::string& field) {
    Mailbox mailbox = Mailbox::create(3, getpid(), 4096, encode_empty());
    corrupt(header_of(mailbox));
    CHECK_THROWS_WITH(mailbox.take_request(1), Contains(field));
}

SubmitMessage valid_submit() {
    SubmitMessage m;
    TensorRecord tensor{};
    tensor.location = uint32_t(TensorLocation::Mapped);
    tensor.token = 1;
    tensor.dtype = uint32_t(DType::Float32);
    tensor.ndims = 2;
    tensor.shape[0] = tensor.shape[1] = 128;
    m.maps.push_back(MapRecord{1, 65536});
    m.tensors = {tensor, tensor};
    m.scalars = {42};
    m.after = {0};
    m.tasks.push_back(TaskRecord{0, 0, 1, 0, 1, 0, 0, 0});
    m.tasks.push_back(TaskRecord{0, 1, 1, 0, 0, 0, 1, 0});
    m.kernels = {"add_scalar"};
    return m;
}

// `corrupt` applied to a valid submission must make decoding fail naming `what`.
void expect_submit_rejected(const std::function<void(SubmitMessage&)>& corrupt, const std::string& what) {
    SubmitMessage m = valid_submit();
    corrupt(m);
    CHECK_THROWS_WITH(decode_submit(encode_submit(m)), Contains(what));
}

}  // namespace

TEST_CASE("L3 mailbox: a request and its reply round-trip", "[l3][mailbox]") {
    test::L3LeakCheck leak_check;
    Mailbox mailbox = Mailbox::create(3, getpid(), 4096, encode_empty());
    CHECK(mailbox.state() == MailboxState::Request);
    const MailboxMessage boot = mailbox.take_request(1);
    CHECK(boot.kind == MessageKind::Boot);
    CHECK(mailbox.state() == MailboxState::Working);
    mailbox.post_reply(ReplyStatus::Ok, 0, encode_boot_reply(BootReply{"a5", 72}));
    const MailboxMessage reply = mailbox.take_reply(1, MessageKind::Boot);
    CHECK(decode_boot_reply(reply.payload).vector_cores == 72);
    CHECK(mailbox.state() == MailboxState::Idle);
    mailbox.post_request(MessageKind::Submit, 2, encode_submit(valid_submit()));
    const SubmitMessage decoded = decode_submit(mailbox.take_request(2).payload);
    CHECK(decoded.kernels == std::vector<std::string>{"add_scalar"});
    CHECK(decoded.tasks.size() == 2);
    CHECK_THROWS_WITH(mailbox.take_reply(2, MessageKind::Submit), Contains("state Working"));
}

TEST_CASE("L3 mailbox: every header field is validated on receipt", "[l3][mailbox]") {
    test::L3LeakCheck leak_check;
    expect_request_rejected([](MailboxHeader& h) { h.magic = 0x12345678; }, "magic");
    expect_request_rejected([](MailboxHeader& h) { h.version = 2; }, "version 2");
    expect_request_rejected([](MailboxHeader& h) { h.header_bytes = 64; }, "header_bytes");
    expect_request_rejected([](MailboxHeader& h) { h.mailbox_bytes *= 2; }, "mailbox_bytes");
    expect_request_rejected([](MailboxHeader& h) { h.payload_offset = 0; }, "payload_offset");
    expect_request_rejected([](MailboxHeader& h) { h.payload_capacity += 1; }, "payload_capacity");
    expect_request_rejected([](MailboxHeader& h) { h.device_id = 4; }, "device_id 4");
    expect_request_rejected([](MailboxHeader& h) { h.parent_pid = 1; }, "parent_pid");
    expect_request_rejected([](MailboxHeader& h) { h.state = uint32_t(MailboxState::Idle); }, "state Idle");
    expect_request_rejected([](MailboxHeader& h) { h.state = 77; }, "state invalid");
    expect_request_rejected([](MailboxHeader& h) { h.sequence = 9; }, "sequence 9");
    expect_request_rejected([](MailboxHeader& h) { h.kind = 0; }, "message kind 0");
    expect_request_rejected([](MailboxHeader& h) { h.status = 99; }, "reply status 99");
    expect_request_rejected([](MailboxHeader& h) { h.message_bytes = h.payload_capacity + 1; }, "message_bytes");
    // A reply must answer the request it belongs to.
    Mailbox mailbox = Mailbox::create(3, getpid(), 4096, encode_empty());
    mailbox.take_request(1);
    mailbox.post_reply(ReplyStatus::Ok, 0, encode_empty());
    CHECK_THROWS_WITH(mailbox.take_reply(1, MessageKind::Submit), Contains("reply of kind Boot to a Submit request"));
    CHECK_THROWS_WITH(mailbox.take_reply(2, MessageKind::Boot), Contains("sequence 1, expected 2"));
    // A message larger than the mailbox is refused before anything is written.
    CHECK_THROWS_AS(mailbox.post_reply(ReplyStatus::Ok, 0, std::vector<uint8_t>(1 << 20)), std::length_error);
}

TEST_CASE("L3 mailbox: message sections are bounds-checked", "[l3][mailbox]") {
    test::L3LeakCheck leak_check;
    const std::vector<uint8_t> good = encode_submit(valid_submit());
    const auto entry = [](std::vector<uint8_t>& payload, uint32_t index) {
        return reinterpret_cast<SectionEntry*>(payload.data() + sizeof(MessagePreamble)) + index;
    };
    std::vector<uint8_t> bad = good;
    bad.resize(4);
    CHECK_THROWS_WITH(decode_submit(bad), Contains("too short"));
    bad = good;
    reinterpret_cast<MessagePreamble*>(bad.data())->section_count = 3;
    CHECK_THROWS_WITH(decode_submit(bad), Contains("3 sections, expected 9"));
    bad = good;
    entry(bad, 3)->offset += 4;
    CHECK_THROWS_WITH(decode_submit(bad), Contains("not 8-byte aligned"));
    bad = good;
    entry(bad, 3)->offset = bad.size() + 8;
    CHECK_THROWS_WITH(decode_submit(bad), Contains("out of bounds"));
    bad = good;
    entry(bad, 3)->count = ~0ull / 2;
    CHECK_THROWS_WITH(decode_submit(bad), Contains("run past the message end"));
    bad = good;
    entry(bad, 3)->record_bytes = 32;
    CHECK_THROWS_WITH(decode_submit(bad), Contains("32-byte records, expected 64"));
}

TEST_CASE("L3 mailbox: submission records are validated", "[l3][mailbox]") {
    test::L3LeakCheck leak_check;
    CHECK_NOTHROW(decode_submit(encode_submit(valid_submit())));
    SubmitMessage limited = valid_submit();
    limited.run_timeout_ms = 250;
    CHECK(decode_submit(encode_submit(limited)).run_timeout_ms == 250);
    expect_submit_rejected([](SubmitMessage& m) { m.tasks[1].kernel = 5; }, "kernel index 5");
    expect_submit_rejected([](SubmitMessage& m) { m.tasks[1].first_tensor = 2; }, "task 1 tensors");
    expect_submit_rejected([](SubmitMessage& m) { m.tasks[0].scalar_count = 2; }, "task 0 scalars");
    expect_submit_rejected([](SubmitMessage& m) { m.after[0] = 1; }, "not earlier");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].direction = 7; }, "direction 7");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].dtype = 99; }, "dtype 99");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].dtype = kDTypeCount; }, "dtype 10");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].ndims = 0; }, "ndims 0");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].shape[3] = 1; }, "shape beyond ndims");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].location = 9; }, "location 9");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].token = 0; }, "token or address 0");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].verify_content = 1; }, "not fork-inherited");
    expect_submit_rejected([](SubmitMessage& m) { m.tensors[0].shape[0] = m.tensors[0].shape[1] = 0xFFFFFFFF; },
                           "2^48");
    expect_submit_rejected([](SubmitMessage& m) { m.maps.push_back(m.maps[0]); }, "mapped twice");
    expect_submit_rejected([](SubmitMessage& m) { m.kernels[0].clear(); }, "empty name");
    expect_submit_rejected([](SubmitMessage& m) { m.run_timeout_ms = -1; }, "run limits record");
}

TEST_CASE("L3 mailbox: a child_memory tensor stays device-resident through the mailbox",
          "[l3][mailbox][child_memory]") {
    test::L3LeakCheck leak_check;
    SubmitMessage m = valid_submit();
    m.tensors[1].location = uint32_t(TensorLocation::Device);
    m.tensors[1].token = 0;
    m.tensors[1].address = 0x100040000;
    const SubmitMessage back = decode_submit(encode_submit(m));
    REQUIRE(back.tensors.size() == 2);
    CHECK(back.tensors[1].location == uint32_t(TensorLocation::Device));
    CHECK(back.tensors[1].address == 0x100040000);
    CHECK(back.tensors[0].location == uint32_t(TensorLocation::Mapped));
}
