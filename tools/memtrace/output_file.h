// Where memtrace writes an output file. A regular file (new or existing) is written to a
// temporary file beside it and renamed over it on success, so the target is either complete or
// as it was. A symlink is followed: the file it points to is replaced, the link stays. A device
// node or FIFO is written in place for stream outputs (-o /dev/stdout) and refused otherwise; a
// directory is refused. Nothing memtrace did not create is ever removed.
#pragma once

#include <string>

namespace tandem::memtrace {

enum class OutputKind {
    Stream,  // written front to back (JSON, SVG, a trace): a device or FIFO may take it
    File,    // needs a regular file (an SQLite database)
};

class OutputFile {
public:
    // Throws std::runtime_error naming `path` if it is a directory, a device or FIFO for a
    // File output, or if the temporary file cannot be created.
    OutputFile(const std::string& path, OutputKind kind);
    // Removes the temporary file unless commit() succeeded.
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    // The path to open and write: the temporary file, or the device itself.
    const std::string& write_path() const { return write_path_; }
    // Moves the finished temporary file over the target. Throws naming both paths on failure.
    void commit();

private:
    std::string target_;      // the path the user gave, symlinks resolved
    std::string write_path_;  // == target_ when writing in place
    bool committed_ = false;
};

}  // namespace tandem::memtrace
