#include "tools/memtrace/heatmap.h"

#include "tools/memtrace/record_semantics.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

namespace tandem::memtrace {
namespace {

using trace::Record;
using trace::Region;

constexpr uint64_t kPage = 4096;  // touched ranges are tracked in whole pages to keep them few
constexpr size_t kMinRowsPerSegment = 2;
constexpr size_t kRowsPerSegmentBudget = 4;  // at most rows / 4 segments, so each stays visible
constexpr uint64_t kMergeGapFactor = 8;      // a gap up to 8x the memory beside it is not a boundary
constexpr size_t kMaxCells = 4096;           // per axis: more than any screen shows

struct Span {
    AddressSpace space;
    uint64_t start;
    uint64_t end;  // exclusive; UINT64_MAX also stands for "to the top"
    Region region;
};

uint64_t last_byte(const Record& record) {
    const uint64_t last = record.address + (record.size == 0 ? 0 : record.size - 1);
    return last < record.address ? UINT64_MAX : last;
}

// Disjoint page-aligned ranges that saw accesses, merged as they are added.
class TouchedRanges {
public:
    void add(const Record& record) {
        const AddressSpace space = address_space(record.region);
        const uint64_t start = record.address / kPage * kPage;
        const uint64_t last_page = last_byte(record) / kPage * kPage;
        const uint64_t end = last_page > UINT64_MAX - kPage ? UINT64_MAX : last_page + kPage;
        std::map<uint64_t, Span>& ranges = spaces_[static_cast<size_t>(space)];
        // Merge with every range that overlaps or touches [start, end).
        auto it = ranges.upper_bound(start);
        if (it != ranges.begin() && std::prev(it)->second.end >= start) --it;
        if (it != ranges.end() && it->second.start <= start && it->second.end >= end) return;  // already covered
        Span merged{space, start, end, record.region};
        while (it != ranges.end() && it->second.start <= merged.end) {
            if (it->second.start < merged.start) merged.region = it->second.region;
            merged.start = std::min(merged.start, it->second.start);
            merged.end = std::max(merged.end, it->second.end);
            it = ranges.erase(it);
        }
        ranges.emplace(merged.start, merged);
    }

    // Device ranges by address, then host ranges.
    std::vector<Span> spans() const {
        std::vector<Span> all;
        for (const auto& ranges : spaces_) {
            for (const auto& [start, span] : ranges) all.push_back(span);
        }
        return all;
    }

private:
    std::map<uint64_t, Span> spaces_[kAddressSpaceCount];
};

// Adjacent spans joined into clusters: a union-find over span indices whose roots know the
// first and last span of their cluster.
class SpanClusters {
public:
    explicit SpanClusters(const std::vector<Span>& spans)
        : spans_(spans), parent_(spans.size()), first_(spans.size()), last_(spans.size()), count_(spans.size()) {
        for (size_t i = 0; i < spans.size(); ++i) parent_[i] = first_[i] = last_[i] = i;
    }

    size_t root(size_t i) {
        while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
        return i;
    }
    uint64_t length(size_t i) {
        const size_t r = root(i);
        return spans_[last_[r]].end - spans_[first_[r]].start;
    }
    // Joins the cluster of span i with that of span i + 1.
    void join_after(size_t i) {
        const size_t left = root(i);
        const size_t right = root(i + 1);
        if (left == right) return;
        parent_[right] = left;
        last_[left] = last_[right];
        --count_;
    }
    size_t count() const { return count_; }

private:
    const std::vector<Span>& spans_;
    std::vector<size_t> parent_;
    std::vector<size_t> first_;
    std::vector<size_t> last_;
    size_t count_;
};

// Turns spans into segments. Smallest gaps first, spans of one address space merge when the gap
// is small next to the memory around it (a heap of allocations, a sparsely used window); then,
// while there are more than `max_segments`, the smallest remaining gaps close too.
std::vector<AddressSegment> merge_into_segments(const std::vector<Span>& spans, size_t max_segments) {
    std::vector<size_t> gaps;  // index of the span before each gap within one address space
    for (size_t i = 0; i + 1 < spans.size(); ++i) {
        if (spans[i].space == spans[i + 1].space) gaps.push_back(i);
    }
    const auto gap = [&](size_t i) { return spans[i + 1].start - spans[i].end; };
    std::stable_sort(gaps.begin(), gaps.end(), [&](size_t a, size_t b) { return gap(a) < gap(b); });

    SpanClusters clusters(spans);
    for (size_t i : gaps) {
        if (gap(i) / kMergeGapFactor <= std::max(clusters.length(i), clusters.length(i + 1))) clusters.join_after(i);
    }
    for (size_t i : gaps) {
        if (clusters.count() <= max_segments) break;
        clusters.join_after(i);
    }

    std::vector<AddressSegment> segments;
    for (size_t i = 0; i < spans.size(); ++i) {
        if (i == 0 || clusters.root(i) != clusters.root(i - 1)) {
            segments.push_back(AddressSegment{spans[i].region, spans[i].start, spans[i].end, 0, 0});
        } else {
            segments.back().end = spans[i].end;
        }
    }
    return segments;
}

// Every segment gets a few rows; the rest are shared out by address length.
void assign_rows(std::vector<AddressSegment>& segments, size_t rows) {
    double total_length = 0;
    for (const AddressSegment& segment : segments) total_length += static_cast<double>(segment.end - segment.start);
    const size_t spare = rows - segments.size() * kMinRowsPerSegment;
    size_t assigned = 0;
    size_t longest = 0;
    for (size_t i = 0; i < segments.size(); ++i) {
        const double share = static_cast<double>(segments[i].end - segments[i].start) / total_length;
        segments[i].row_count = kMinRowsPerSegment + static_cast<size_t>(share * static_cast<double>(spare));
        assigned += segments[i].row_count;
        if (segments[i].end - segments[i].start > segments[longest].end - segments[longest].start) longest = i;
    }
    segments[longest].row_count += rows - assigned;
    size_t next_row = 0;
    for (AddressSegment& segment : segments) {
        segment.first_row = next_row;
        next_row += segment.row_count;
    }
}

size_t row_of(const AddressSegment& segment, uint64_t address) {
    const double fraction =
        static_cast<double>(address - segment.start) / static_cast<double>(segment.end - segment.start);
    const auto row = static_cast<size_t>(fraction * static_cast<double>(segment.row_count));
    return segment.first_row + std::min(row, segment.row_count - 1);
}

}  // namespace

Heatmap build_heatmap(const trace::TraceReader& reader, const HeatmapOptions& options) {
    if (options.columns < 1 || options.columns > kMaxCells || options.rows < kRowsPerSegmentBudget ||
        options.rows > kMaxCells) {
        throw std::invalid_argument("a heatmap needs 1 to " + std::to_string(kMaxCells) + " columns and " +
                                    std::to_string(kRowsPerSegmentBudget) + " to " + std::to_string(kMaxCells) +
                                    " rows");
    }
    const auto drawn = [&](const Record& record) { return is_access(record.op) && options.filter.matches(record); };

    Heatmap heatmap;
    TouchedRanges touched;
    uint64_t first_ps = UINT64_MAX;
    uint64_t last_ps = 0;
    for (const Record& record : reader) {
        if (!drawn(record)) continue;
        ++heatmap.accesses;
        touched.add(record);
        first_ps = std::min(first_ps, record.time_ps);
        last_ps = std::max(last_ps, record.time_ps);
    }
    if (heatmap.accesses == 0) return heatmap;

    heatmap.time = TimeBins(first_ps, last_ps, options.columns);
    heatmap.rows = options.rows;
    heatmap.segments = merge_into_segments(touched.spans(), options.rows / kRowsPerSegmentBudget);
    assign_rows(heatmap.segments, options.rows);
    heatmap.read_bytes.assign(heatmap.rows * heatmap.time.count(), 0.0);
    heatmap.write_bytes.assign(heatmap.rows * heatmap.time.count(), 0.0);

    const auto before = [](const AddressSegment& segment, const std::pair<AddressSpace, uint64_t>& key) {
        return std::make_pair(address_space(segment.region), segment.start) <= key;
    };
    for (const Record& record : reader) {
        if (!drawn(record)) continue;
        const std::pair<AddressSpace, uint64_t> key{address_space(record.region), record.address};
        // The last segment starting at or below the address; the touched ranges cover it.
        const auto after = std::partition_point(heatmap.segments.begin(), heatmap.segments.end(),
                                                [&](const AddressSegment& s) { return before(s, key); });
        const AddressSegment& segment = *std::prev(after);
        const size_t first_row = row_of(segment, record.address);
        const size_t last_row = row_of(segment, std::min(last_byte(record), segment.end - 1));
        const size_t column = heatmap.time.index(record.time_ps);
        std::vector<double>& grid = record.op == trace::Op::Write ? heatmap.write_bytes : heatmap.read_bytes;
        const double share = static_cast<double>(record.size) / static_cast<double>(last_row - first_row + 1);
        for (size_t row = first_row; row <= last_row; ++row) grid[heatmap.cell(row, column)] += share;
    }
    return heatmap;
}

}  // namespace tandem::memtrace
