// ArgumentWords: a task's words end where the guard page begins, and an address in that page
// names the word a kernel read past them.
#include "sim/model/core/argument_words.h"

#include <catch2/catch.hpp>

#include <cstdint>

using tandem::sim::ArgumentWords;

TEST_CASE("ArgumentWords: the words end at the guard page, which names the words past them", "[unit][arguments]") {
    ArgumentWords words;
    CHECK_FALSE(words.word_past_the_end(&words));  // nothing mapped yet
    int64_t* const three = words.place(3);
    REQUIRE(three != nullptr);
    for (int64_t i = 0; i < 3; ++i) three[i] = i + 10;  // writable, up to the last word
    CHECK(words.count() == 3);
    CHECK_FALSE(words.word_past_the_end(&three[2]));
    CHECK(words.word_past_the_end(&three[3]) == 3u);
    CHECK(words.word_past_the_end(reinterpret_cast<const char*>(&three[5]) + 4) == 5u);

    // The next task's words end at the same place; none at all leave the guard page at args[0].
    int64_t* const none = words.place(0);
    CHECK(none == three + 3);
    CHECK(words.word_past_the_end(&none[0]) == 0u);
    CHECK(words.place(100000) == nullptr);  // more than a page holds
}
