#include "sim/model/pipes/pipe_schedule.h"

#include <algorithm>

namespace tandem::sim {

const char* pipe_name(Pipe pipe) {
    switch (pipe) {
        case Pipe::S: return "PIPE_S";
        case Pipe::V: return "PIPE_V";
        case Pipe::M: return "PIPE_M";
        case Pipe::Mte1: return "PIPE_MTE1";
        case Pipe::Mte2: return "PIPE_MTE2";
        case Pipe::Mte3: return "PIPE_MTE3";
        case Pipe::All: return "PIPE_ALL";
        case Pipe::Fix: return "PIPE_FIX";
    }
    return "PIPE_?";
}

void PipeSchedule::reset(uint64_t now_ps) {
    ready_ps_.fill(now_ps);
    issued_.fill(0);
    for (auto& clock : known_) clock.fill(0);
    for (auto& names : names_) names.clear();
    pending_.clear();
}

uint64_t PipeSchedule::start_of(Pipe pipe, uint64_t issue_ps) const {
    return std::max(issue_ps, ready_ps_[index(pipe)]);
}

uint32_t PipeSchedule::record(Pipe pipe, uint64_t end_ps, const char* name) {
    const uint32_t p = index(pipe);
    ready_ps_[p] = std::max(ready_ps_[p], end_ps);
    names_[p].push_back(name);
    return ++issued_[p];
}

const char* PipeSchedule::name_of(Pipe pipe, uint32_t instruction) const {
    const auto& names = names_[index(pipe)];
    return instruction >= 1 && instruction <= names.size() ? names[instruction - 1] : "?";
}

bool PipeSchedule::ordered(Pipe later, Pipe earlier, uint32_t earlier_index) const {
    if (later == earlier && later != Pipe::V) return true;
    return known_[index(later)][index(earlier)] >= earlier_index ||
           known_[index(Pipe::S)][index(earlier)] >= earlier_index;  // the scalar unit issues everything
}

uint32_t PipeSchedule::slot(Pipe source, Pipe destination, uint32_t event) {
    return (index(source) * kPipeCount + index(destination)) * kPipeEventCount + event;
}

void PipeSchedule::merge(Clock& into, const Clock& from) {
    for (uint32_t p = 0; p < kPipeCount; ++p) into[p] = std::max(into[p], from[p]);
}

void PipeSchedule::set_flag(Pipe source, Pipe destination, uint32_t event, uint64_t issue_ps) {
    const uint32_t s = index(source);
    Flag flag{slot(source, destination, event), start_of(source, issue_ps), known_[s]};
    merge(flag.covers, known_[index(Pipe::S)]);
    flag.covers[s] = issued_[s];
    pending_.push_back(flag);
}

bool PipeSchedule::wait_flag(Pipe source, Pipe destination, uint32_t event, uint64_t issue_ps,
                             uint64_t& scalar_resume_ps) {
    scalar_resume_ps = issue_ps;
    const uint32_t wanted = slot(source, destination, event);
    const auto first =
        std::find_if(pending_.begin(), pending_.end(), [wanted](const Flag& f) { return f.slot == wanted; });
    if (first == pending_.end()) return false;
    const Flag flag = *first;
    pending_.erase(first);
    const uint32_t d = index(destination);
    if (destination == Pipe::S) {
        // The scalar unit stalls; everything it issues afterwards is ordered after the flag.
        scalar_resume_ps = std::max(issue_ps, flag.fires_ps);
        for (auto& clock : known_) merge(clock, flag.covers);
        return true;
    }
    ready_ps_[d] = std::max({ready_ps_[d], flag.fires_ps, issue_ps});
    merge(known_[d], flag.covers);
    return true;
}

void PipeSchedule::barrier(Pipe pipe) {
    const uint32_t p = index(pipe);
    known_[p][p] = issued_[p];
}

uint64_t PipeSchedule::barrier_all(uint64_t issue_ps) {
    uint64_t idle = issue_ps;
    for (uint64_t ready : ready_ps_) idle = std::max(idle, ready);
    for (auto& clock : known_) clock = issued_;
    ready_ps_.fill(idle);
    return idle;
}

}  // namespace tandem::sim
