// A task's argument words (each tensor's device address, then each scalar) where its kernel
// reads them, ending exactly where a page the process may not touch begins. A kernel that reads a
// word its task did not pass (a scalar missing from add_task) would read 0 from an ordinary
// array, and on a board whatever follows the words in GM; here it touches the guard page, and
// the crash report (kernel_crash_report.cpp) names the word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace tandem::sim {

class ArgumentWords {
public:
    ArgumentWords() = default;
    ~ArgumentWords();
    ArgumentWords(const ArgumentWords&) = delete;
    ArgumentWords& operator=(const ArgumentWords&) = delete;

    // Room for `count` words ending at the guard page. Maps the pages on first use; null if the
    // process cannot map them or a page does not hold `count` words.
    int64_t* place(size_t count);
    size_t count() const { return count_; }
    // The index of the word a faulting access at `address` read past the placed ones, if it
    // is in the guard page. Async-signal-safe.
    std::optional<size_t> word_past_the_end(const void* address) const;

private:
    char* pages_ = nullptr;  // the words' page, then the guard page
    size_t page_bytes_ = 0;
    size_t count_ = 0;
};

}  // namespace tandem::sim
