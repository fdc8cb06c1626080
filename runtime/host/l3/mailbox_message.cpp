#include "runtime/host/l3/mailbox_message.h"

#include <string>

namespace tandem::runtime::l3 {
namespace {

uint64_t align8(uint64_t value) { return (value + 7) / 8 * 8; }

[[noreturn]] void reject(const std::string& what) { throw MailboxError("mailbox message: " + what); }

}  // namespace

std::vector<uint8_t> MessageWriter::finish() const {
    const uint64_t table = sizeof(MessagePreamble) + sections_.size() * sizeof(SectionEntry);
    uint64_t size = align8(table);
    std::vector<SectionEntry> entries;
    for (const Pending& section : sections_) {
        entries.push_back(SectionEntry{size, section.count, section.record_bytes, 0});
        size = align8(size + section.bytes.size());
    }
    std::vector<uint8_t> payload(size, 0);
    const MessagePreamble preamble{static_cast<uint32_t>(sections_.size()), 0};
    std::memcpy(payload.data(), &preamble, sizeof(preamble));
    if (!entries.empty())
        std::memcpy(payload.data() + sizeof(preamble), entries.data(), entries.size() * sizeof(SectionEntry));
    for (size_t i = 0; i < sections_.size(); ++i) {
        if (!sections_[i].bytes.empty()) {
            std::memcpy(payload.data() + entries[i].offset, sections_[i].bytes.data(), sections_[i].bytes.size());
        }
    }
    return payload;
}

MessageReader::MessageReader(const std::vector<uint8_t>& payload, uint32_t sections) : payload_(payload) {
    MessagePreamble preamble{};
    if (payload.size() < sizeof(preamble))
        reject(std::to_string(payload.size()) + " bytes, too short for the preamble");
    std::memcpy(&preamble, payload.data(), sizeof(preamble));
    if (preamble.section_count != sections) {
        reject(std::to_string(preamble.section_count) + " sections, expected " + std::to_string(sections));
    }
    const uint64_t table_end = sizeof(preamble) + uint64_t(sections) * sizeof(SectionEntry);
    if (table_end > payload.size()) reject("the section table runs past the message end");
    entries_.resize(sections);
    if (sections) std::memcpy(entries_.data(), payload.data() + sizeof(preamble), sections * sizeof(SectionEntry));
    for (uint32_t i = 0; i < sections; ++i) {
        const SectionEntry& e = entries_[i];
        const std::string name = "section " + std::to_string(i);
        if (e.offset % 8 != 0) reject(name + " offset " + std::to_string(e.offset) + " is not 8-byte aligned");
        if (e.offset < table_end || e.offset > payload.size())
            reject(name + " offset " + std::to_string(e.offset) + " is out of bounds");
        if (e.record_bytes == 0) reject(name + " has 0-byte records");
        if (e.count > (payload.size() - e.offset) / e.record_bytes) {
            reject(name + ": " + std::to_string(e.count) + " records of " + std::to_string(e.record_bytes) +
                   " bytes run past the message end");
        }
    }
}

const SectionEntry& MessageReader::checked_entry(uint32_t index, uint32_t record_bytes) const {
    if (index >= entries_.size()) reject("no section " + std::to_string(index));
    const SectionEntry& entry = entries_[index];
    if (entry.record_bytes != record_bytes) {
        reject("section " + std::to_string(index) + " has " + std::to_string(entry.record_bytes) +
               "-byte records, expected " + std::to_string(record_bytes));
    }
    return entry;
}

}  // namespace tandem::runtime::l3
