// with_huge_page_heap: glibc's huge-page heap tunable added to the user's GLIBC_TUNABLES,
// never replacing a choice of theirs.
#include "common/huge_page_heap.h"

#include <catch2/catch.hpp>

using tandem::with_huge_page_heap;

TEST_CASE("the huge-page heap tunable is added to GLIBC_TUNABLES, keeping the user's own", "[runtime]") {
    CHECK(with_huge_page_heap(nullptr) == "glibc.malloc.hugetlb=1");
    CHECK(with_huge_page_heap("") == "glibc.malloc.hugetlb=1");
    CHECK(with_huge_page_heap("glibc.malloc.check=3") == "glibc.malloc.check=3:glibc.malloc.hugetlb=1");
    // A tunable whose name only starts like it is another one.
    CHECK(with_huge_page_heap("glibc.malloc.hugetlbx=2") == "glibc.malloc.hugetlbx=2:glibc.malloc.hugetlb=1");
    // The user's own setting wins, wherever it stands.
    CHECK(with_huge_page_heap("glibc.malloc.hugetlb=0") == "glibc.malloc.hugetlb=0");
    CHECK(with_huge_page_heap("glibc.malloc.check=3:glibc.malloc.hugetlb=2") ==
          "glibc.malloc.check=3:glibc.malloc.hugetlb=2");
}
