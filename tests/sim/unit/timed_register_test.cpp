// TimedRegister: writes become visible at their time, in time order, and reset drops them.
#include "sim/model/mmio/timed_register.h"

#include <catch2/catch.hpp>

using tandem::sim::TimedRegister;

TEST_CASE("TimedRegister: a write is visible from its visible time on", "[unit][register]") {
    TimedRegister reg;
    reg.write(7, 1000);
    CHECK(reg.value_at(0) == 0);
    CHECK(reg.value_at(999) == 0);
    CHECK(reg.value_at(1000) == 7);
    CHECK(reg.next_change_after(0) == 1000u);
    CHECK_FALSE(reg.next_change_after(1000));
}

TEST_CASE("TimedRegister: writes visible out of issue order are ordered by visible time", "[unit][register]") {
    TimedRegister reg;
    reg.write(2, 2000);
    reg.write(1, 1000);
    CHECK(reg.value_at(1500) == 1);
    CHECK(reg.value_at(2500) == 2);
    CHECK(reg.next_change_after(1000) == 2000u);
}

TEST_CASE("TimedRegister: reset forgets in-flight writes", "[unit][register]") {
    TimedRegister reg;
    reg.write(5, 1000);
    reg.reset(9);
    CHECK(reg.value_at(0) == 9);
    CHECK(reg.value_at(5000) == 9);
    CHECK_FALSE(reg.next_change_after(0));
}
