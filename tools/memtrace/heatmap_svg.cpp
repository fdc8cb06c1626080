#include "tools/memtrace/heatmap_svg.h"

#include "tools/memtrace/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tandem::memtrace {
namespace {

constexpr double kPlotWidth = 1024;
constexpr double kPlotHeight = 512;
constexpr double kLeft = 400;   // segment labels
constexpr double kTop = 40;     // title
constexpr double kBottom = 70;  // time axis and legend
constexpr double kRight = 20;
constexpr int kBrightnessLevels = 16;
constexpr int kWriteShareLevels = 8;
constexpr double kMinLabelHeight = 10;

std::string xml_escape(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
            case '&': escaped += "&amp;"; break;
            case '<': escaped += "&lt;"; break;
            case '>': escaped += "&gt;"; break;
            case '"': escaped += "&quot;"; break;
            default: escaped += c;
        }
    }
    return escaped;
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.2f", value);
    return buffer;
}

// Quantised so that runs of equal cells collapse into one rectangle.
struct CellColor {
    int brightness = 0;  // 0 = nothing accessed
    int write_share = 0;
    bool operator==(const CellColor& other) const {
        return brightness == other.brightness && write_share == other.write_share;
    }
};

std::string css_color(const CellColor& color) {
    // Blend read blue (60,150,255) to write red (255,80,50), then scale by brightness.
    const double w = static_cast<double>(color.write_share) / kWriteShareLevels;
    const double scale = 0.25 + 0.75 * static_cast<double>(color.brightness) / kBrightnessLevels;
    const auto channel = [&](double read, double write) {
        return static_cast<int>(std::lround((read + (write - read) * w) * scale));
    };
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "#%02x%02x%02x", channel(60, 255), channel(150, 80), channel(255, 50));
    return buffer;
}

CellColor cell_color(double read, double write, double log_max) {
    const double total = read + write;
    if (total <= 0) return {};
    const int brightness = 1 + static_cast<int>(std::log1p(total) / log_max * (kBrightnessLevels - 1));
    const int write_share = static_cast<int>(std::lround(write / total * kWriteShareLevels));
    return {std::min(brightness, kBrightnessLevels), write_share};
}

void write_cells(std::ostream& out, const Heatmap& heatmap, double cell_width, double cell_height) {
    double max_bytes = 0;
    for (size_t i = 0; i < heatmap.read_bytes.size(); ++i) {
        max_bytes = std::max(max_bytes, heatmap.read_bytes[i] + heatmap.write_bytes[i]);
    }
    const double log_max = std::log1p(max_bytes);
    const size_t columns = heatmap.time.count();
    out << "<g shape-rendering=\"crispEdges\">\n";
    for (size_t row = 0; row < heatmap.rows; ++row) {
        size_t run_start = 0;
        CellColor run_color;
        for (size_t column = 0; column <= columns; ++column) {
            const CellColor color = column < columns
                                        ? cell_color(heatmap.read_bytes[heatmap.cell(row, column)],
                                                     heatmap.write_bytes[heatmap.cell(row, column)], log_max)
                                        : CellColor{};
            if (column < columns && color == run_color) continue;
            if (run_color.brightness != 0) {
                out << "<rect x=\"" << number(kLeft + run_start * cell_width) << "\" y=\""
                    << number(kTop + row * cell_height) << "\" width=\"" << number((column - run_start) * cell_width)
                    << "\" height=\"" << number(cell_height) << "\" fill=\"" << css_color(run_color) << "\"/>\n";
            }
            run_start = column;
            run_color = color;
        }
    }
    out << "</g>\n";
}

void write_segment_labels(std::ostream& out, const Heatmap& heatmap, double cell_height) {
    for (const AddressSegment& segment : heatmap.segments) {
        const double top = kTop + segment.first_row * cell_height;
        const double height = segment.row_count * cell_height;
        out << "<line x1=\"" << number(kLeft - 4) << "\" x2=\"" << number(kLeft + kPlotWidth) << "\" y1=\""
            << number(top) << "\" y2=\"" << number(top) << "\" stroke=\"#555\" stroke-width=\"0.5\"/>\n";
        if (height < kMinLabelHeight) continue;
        out << "<text x=\"" << number(kLeft - 8) << "\" y=\"" << number(top + height / 2 + 4)
            << "\" text-anchor=\"end\">" << trace::region_name(segment.region) << " " << hex(segment.start) << "-"
            << hex(segment.end) << " (" << format_bytes(segment.end - segment.start) << ")</text>\n";
    }
}

void write_time_axis(std::ostream& out, const Heatmap& heatmap) {
    constexpr int kTicks = 5;
    const uint64_t first = heatmap.time.start_ps(0);
    const uint64_t end = heatmap.time.end_ps(heatmap.time.count() - 1);
    const double axis_y = kTop + kPlotHeight;
    for (int tick = 0; tick < kTicks; ++tick) {
        const double fraction = static_cast<double>(tick) / (kTicks - 1);
        const double x = kLeft + fraction * kPlotWidth;
        // Integer steps: a span near 2^64 ps does not survive a round trip through double.
        const uint64_t time = tick == kTicks - 1 ? end : first + (end - first) / (kTicks - 1) * tick;
        const char* anchor = tick == 0 ? "start" : tick == kTicks - 1 ? "end" : "middle";
        out << "<line x1=\"" << number(x) << "\" x2=\"" << number(x) << "\" y1=\"" << number(axis_y) << "\" y2=\""
            << number(axis_y + 5) << "\" stroke=\"#aaa\"/>\n";
        out << "<text x=\"" << number(x) << "\" y=\"" << number(axis_y + 18) << "\" text-anchor=\"" << anchor << "\">"
            << format_time(time) << "</text>\n";
    }
}

}  // namespace

void write_heatmap_svg(std::ostream& out, const Heatmap& heatmap, const std::string& title) {
    const double width = kLeft + kPlotWidth + kRight;
    const double height = kTop + kPlotHeight + kBottom;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << number(width) << "\" height=\"" << number(height)
        << "\" viewBox=\"0 0 " << number(width) << " " << number(height)
        << "\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#ddd\">\n";
    out << "<rect width=\"100%\" height=\"100%\" fill=\"#1b1b1b\"/>\n";
    out << "<text x=\"" << number(kLeft) << "\" y=\"24\" font-size=\"14\">" << xml_escape(title) << " ("
        << heatmap.accesses << " accesses)</text>\n";
    out << "<rect x=\"" << number(kLeft) << "\" y=\"" << number(kTop) << "\" width=\"" << number(kPlotWidth)
        << "\" height=\"" << number(kPlotHeight) << "\" fill=\"#000\"/>\n";
    if (heatmap.accesses == 0) {
        out << "<text x=\"" << number(kLeft + kPlotWidth / 2) << "\" y=\"" << number(kTop + kPlotHeight / 2)
            << "\" text-anchor=\"middle\">no accesses match</text>\n";
    } else {
        const double cell_width = kPlotWidth / static_cast<double>(heatmap.time.count());
        const double cell_height = kPlotHeight / static_cast<double>(heatmap.rows);
        write_cells(out, heatmap, cell_width, cell_height);
        write_segment_labels(out, heatmap, cell_height);
        write_time_axis(out, heatmap);
    }
    out << "<text x=\"" << number(kLeft) << "\" y=\"" << number(height - 14)
        << "\">time (issue) left to right; addresses top to bottom; blue = reads, red = writes, brighter = more "
           "bytes (log scale)</text>\n";
    out << "</svg>\n";
}

}  // namespace tandem::memtrace
