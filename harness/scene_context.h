// `ctx`, the object a scene's run(ctx) receives: which scene, arch and provider it
// runs on, and ctx.check(name, actual, golden, rtol, atol), which records the
// largest errors of an output against its golden into the scene's result, the
// task that wrote the output, and (for --both) dumps the actual array.
#pragma once

#include "harness/results.h"
#include "harness/task_writes.h"

#include <pybind11/numpy.h>

#include <string>

namespace tandem::harness {

class SceneContext {
public:
    // `dump_dir`: where each checked actual array goes (output_dump.h); "" for none.
    SceneContext(SceneResult& result, std::string scene_dir, const TaskWrites& task_writes, std::string dump_dir)
        : result_(result), scene_dir_(std::move(scene_dir)), task_writes_(task_writes), dump_dir_(std::move(dump_dir)) {}

    const std::string& scene() const { return result_.scene; }
    const std::string& arch() const { return result_.arch; }
    const std::string& provider() const { return result_.provider; }
    const std::string& scene_dir() const { return scene_dir_; }
    int32_t device() const { return result_.device; }
    // Compares elementwise, |actual - golden| <= atol + rtol * |golden| (NaN never
    // matches); records the check and the task that wrote `actual`; dumps `actual`
    // if there is a dump dir; returns whether it passed.
    bool check(const std::string& name, const pybind11::array& actual, const pybind11::array& golden, double rtol,
               double atol);

private:
    void record_writer(const std::string& name, const pybind11::array& actual);
    void dump(const pybind11::array& actual) const;

    SceneResult& result_;
    std::string scene_dir_;
    const TaskWrites& task_writes_;
    std::string dump_dir_;
};

// Adds tandem.SceneContext to the embedded module.
void bind_scene_context(pybind11::module_& tandem);

}  // namespace tandem::harness
