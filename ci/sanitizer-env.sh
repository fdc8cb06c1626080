# The sanitizer run-time options for a TANDEM_SANITIZE build; source it before running
# its tests by hand (ci/test-sanitizers does). Why each one: docs/reliability.md.
sanitizer_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# detect_stack_use_after_return=0: SystemC's coroutine switches are announced to ASan (by Debian's
# libsystemc; sim/model/chip/kernel_run.cpp restores the host stack), but fake stacks are not needed and cost time.
export ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1:handle_segv=0
export LSAN_OPTIONS=suppressions=$sanitizer_dir/lsan-python.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset sanitizer_dir
