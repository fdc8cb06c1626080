// The payload format of mailbox messages: a preamble, a table of typed sections, then
// the sections' records. The reader checks the whole table against the payload size
// (offsets, counts, record sizes, alignment) before any record is read, and hands out
// copies, so a record can never be read from outside the message.
#pragma once

#include "runtime/host/l3/mailbox.h"

#include <cstring>
#include <type_traits>
#include <vector>

namespace tandem::runtime::l3 {

struct MessagePreamble {
    uint32_t section_count;
    uint32_t reserved;
};

struct SectionEntry {
    uint64_t offset;  // from the payload start; 8-byte aligned
    uint64_t count;   // records
    uint32_t record_bytes;
    uint32_t reserved;
};

class MessageWriter {
public:
    // Sections are appended in the order the message kind defines.
    template <typename T>
    void add(const std::vector<T>& records) {
        static_assert(std::is_trivially_copyable_v<T>);
        Pending section{sizeof(T), records.size(), std::vector<uint8_t>(records.size() * sizeof(T))};
        if (!records.empty()) std::memcpy(section.bytes.data(), records.data(), section.bytes.size());
        sections_.push_back(std::move(section));
    }
    std::vector<uint8_t> finish() const;

private:
    struct Pending {
        uint32_t record_bytes;
        uint64_t count;
        std::vector<uint8_t> bytes;
    };
    std::vector<Pending> sections_;
};

class MessageReader {
public:
    // Throws MailboxError unless `payload` holds exactly `sections` well-formed sections.
    MessageReader(const std::vector<uint8_t>& payload, uint32_t sections);

    template <typename T>
    std::vector<T> get(uint32_t index) const {
        static_assert(std::is_trivially_copyable_v<T>);
        const SectionEntry& entry = checked_entry(index, sizeof(T));
        std::vector<T> records(entry.count);
        if (entry.count) std::memcpy(records.data(), payload_.data() + entry.offset, entry.count * sizeof(T));
        return records;
    }

private:
    const SectionEntry& checked_entry(uint32_t index, uint32_t record_bytes) const;

    const std::vector<uint8_t>& payload_;
    std::vector<SectionEntry> entries_;
};

}  // namespace tandem::runtime::l3
