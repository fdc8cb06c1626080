# The newest glibc / libstdc++ symbol versions the board AICPU program may require: the
# board's AICPU OS must provide at least these to load it (docs/board.md, "Symbol
# versions"). The values are what Debian 12's cross g++ 12 needs (GLIBC_2.32 for
# __libc_single_threaded, read by libstdc++ 12's shared_ptr; GLIBCXX_3.4.29); a newer need
# fails the check (ctest -R board_aicpu_symbol_versions) instead of failing on a board.
# libstdc++ is linked dynamically on purpose: linking Debian 12's libstdc++.a and libgcc
# statically would raise the glibc need to GLIBC_2.36 (arc4random, _dl_find_object).
set(TANDEM_AICPU_GLIBC_FLOOR 2.32)
set(TANDEM_AICPU_GLIBCXX_FLOOR 3.4.29)
