#include "sim/model/fault/kernel_crash_report.h"

#include "common/crash_line.h"
#include "sim/model/core/device_core.h"
#include "sim/model/trace/trace_writer.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace tandem::sim {
namespace {

constexpr std::array<int, 5> kSignals = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

struct WatchedCore {
    const sc_core::sc_process_b* thread;  // its SystemC thread
    pthread_t os_thread;                  // that runs the simulation (another thread's crash is not device code)
    const DeviceCore* core;
};

// Written under the mutex, read by the handler without it (a crash is the end of the process).
// Never destroyed: a core may be destroyed at exit after this file's statics (a ChipWorker with
// static storage duration).
std::mutex& watched_mutex = *new std::mutex;
std::vector<WatchedCore>& watched = *new std::vector<WatchedCore>;
std::array<struct sigaction, 32> previous_actions{};

// A line assembled in a fixed buffer: no allocation in a signal handler.
class Line {
public:
    Line& operator<<(const char* text) {
        while (*text) put(*text++);
        return *this;
    }
    Line& number(uint64_t value, unsigned base = 10) {
        char digits[24];
        size_t count = 0;
        do {
            digits[count++] = "0123456789abcdef"[value % base];
            value /= base;
        } while (value);
        while (count) put(digits[--count]);
        return *this;
    }
    void write_to_stderr() const {
        for (size_t written = 0; written < length_;) {
            const ssize_t n = ::write(STDERR_FILENO, text_.data() + written, length_ - written);
            if (n <= 0) return;
            written += static_cast<size_t>(n);
        }
    }

private:
    void put(char c) {
        if (length_ < text_.size()) text_[length_++] = c;
    }

    std::array<char, 640> text_{};
    size_t length_ = 0;
};

// "kernel 'add' (task 3 of run 0)", or device code between tasks.
Line& what_runs(Line& line, const DeviceCore& core) {
    const DeviceCore::TaskInFlight task = core.task_in_flight();
    if (task.task == trace::kNoTask) return line << "device code outside any task";
    line << "kernel '" << (task.kernel ? task.kernel->c_str() : "?") << "' (task ";
    line.number(task.task) << " of run ";
    return line.number(task.run) << ")";
}

// "aiv3"
Line& core_name(Line& line, const DeviceCore& core) {
    line << trace::initiator_kind_name(core.initiator_kind());
    return line.number(core.index());
}

const char* what_the_signal_means(int signal) {
    switch (signal) {
        case SIGSEGV: return "SIGSEGV, a bad memory access";
        case SIGBUS: return "SIGBUS, a bad memory access";
        case SIGFPE: return "SIGFPE, an arithmetic fault (an integer division by zero?)";
        case SIGILL: return "SIGILL, an illegal instruction";
        default: return "SIGABRT, an abort (a failed assert?)";
    }
}

void report(int signal, const siginfo_t* info) {
    if (watched.empty()) return;  // no simulation context to ask
    const sc_core::sc_process_b* running = sc_core::sc_get_current_process_b();
    const pthread_t os_thread = pthread_self();
    const auto found = std::find_if(watched.begin(), watched.end(), [&](const WatchedCore& entry) {
        return entry.thread == running && pthread_equal(entry.os_thread, os_thread);
    });
    if (found == watched.end()) return;  // not device code
    const DeviceCore& core = *found->core;
    Line line;
    line << kCrashLinePrefix;
    what_runs(line, core) << kCrashedTheSimulator;
    core_name(line, core) << ": ";
    const ArgumentWords* const words = core.argument_words();
    const std::optional<size_t> missing_word =
        words && signal == SIGSEGV && info ? words->word_past_the_end(info->si_addr) : std::nullopt;
    if (missing_word) {
        line << "it read argument word ";
        line.number(*missing_word) << ", but its task passed ";
        line.number(words->count()) << " (each tensor's address, then each scalar): give the task every scalar "
                                       "its kernel reads (TaskGraph.add_task's scalars=[...]).\n";
    } else {
        line << what_the_signal_means(signal);
        if ((signal == SIGSEGV || signal == SIGBUS) && info) {
            line << " at 0x";
            line.number(reinterpret_cast<uintptr_t>(info->si_addr), 16);
        }
        line << ". In simulation a kernel runs as host code: check the pointers and indices it computes and the "
                "arrays on its stack.\n";
    }
    line.write_to_stderr();
    // The traces hold every access up to the crash; a trace left unfinished would hold none.
    trace::TraceWriter::finish_open_traces_from_signal_handler();
}

// Where the simulation is when the harness stops the process (SIGUSR1 before its kill at a
// timeout): a kernel that loops without a device operation never gives the simulation back, so
// only the stopped process can say which one it is. The signal may reach any thread: the
// SystemC process is the simulation's, whichever thread this runs on.
void report_stop() {
    if (watched.empty()) return;
    const sc_core::sc_process_b* running = sc_core::sc_get_current_process_b();
    const auto found =
        std::find_if(watched.begin(), watched.end(), [&](const WatchedCore& entry) { return entry.thread == running; });
    Line line;
    line << kStoppedLinePrefix;
    if (found == watched.end()) {
        line << "at ";
        line.number(static_cast<uint64_t>(sc_core::sc_time_stamp().to_seconds() * 1e9)) << " ns of device time";
    } else {
        const DeviceCore& core = *found->core;
        line << "while ";
        what_runs(line, core) << " ran on ";
        core_name(line, core) << ", at ";
        line.number(core.now_ps() / 1000) << " ns of its device time (device code that loops without a "
                                             "device operation never lets the simulation go on)";
    }
    line << "\n";
    line.write_to_stderr();
    // The traces hold everything up to the stop, as after a crash.
    trace::TraceWriter::finish_open_traces_from_signal_handler();
}

void on_stop_request(int signal) {
    report_stop();
    sigaction(signal, &previous_actions[static_cast<size_t>(signal)], nullptr);
    raise(signal);
}

void on_crash(int signal, siginfo_t* info, void*) {
    report(signal, info);
    // The handler from before takes it: a fault comes back when its instruction runs again; a
    // signal that was sent (abort's, kill's) is raised again, delivered when this returns.
    sigaction(signal, &previous_actions[static_cast<size_t>(signal)], nullptr);
    if (!info || info->si_code <= 0) raise(signal);
}

void install_handlers() {
    // Room to run the handler when the crash is a stack overflow, unless another runtime (e.g.
    // AddressSanitizer) set one up already.
    stack_t current{};
    if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
        static std::vector<char> room(64 * 1024);
        stack_t stack{};
        stack.ss_sp = room.data();
        stack.ss_size = room.size();
        sigaltstack(&stack, nullptr);
    }
    struct sigaction action {};
    action.sa_sigaction = on_crash;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int signal : kSignals) sigaction(signal, &action, &previous_actions[static_cast<size_t>(signal)]);
    // The stop request only where nobody else handles SIGUSR1.
    struct sigaction stop {};
    if (sigaction(SIGUSR1, nullptr, &stop) == 0 && stop.sa_handler == SIG_DFL) {
        stop.sa_handler = on_stop_request;
        stop.sa_flags = SA_ONSTACK;
        sigemptyset(&stop.sa_mask);
        sigaction(SIGUSR1, &stop, &previous_actions[SIGUSR1]);
    }
}

}  // namespace

void report_crashes_of(const DeviceCore& core) {
    static std::once_flag installed;
    std::call_once(installed, install_handlers);
    const std::lock_guard<std::mutex> lock(watched_mutex);
    watched.push_back({sc_core::sc_get_current_process_b(), pthread_self(), &core});
}

void stop_reporting_crashes_of(const DeviceCore& core) {
    const std::lock_guard<std::mutex> lock(watched_mutex);
    watched.erase(
        std::remove_if(watched.begin(), watched.end(), [&](const WatchedCore& entry) { return entry.core == &core; }),
        watched.end());
}

}  // namespace tandem::sim
