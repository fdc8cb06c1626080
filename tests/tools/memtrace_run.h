// Runs the memtrace executable as a user would (tests of its command line and output files).
#pragma once

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace tandem::memtrace::testing {

struct Run {
    int exit_code;       // -1 if it died of a signal (an abort)
    std::string output;  // stdout and stderr
};

inline Run memtrace(const std::string& arguments) {
    const std::string command = "'" + std::string(MEMTRACE_EXE) + "' " + arguments + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) output.append(buffer, n);
    const int status = pclose(pipe);
    return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

inline std::string file_text(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace tandem::memtrace::testing
