// The Catch2 runner of every unit-test executable. CTest runs each test case in its own
// process (catch_discover_tests), as SystemC allows one simulation per process.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
