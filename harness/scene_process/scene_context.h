// `ctx`, the object a scene's run(ctx) receives: which scene, arch and provider it
// runs on, and ctx.check(name, actual, golden, rtol, atol), which records the
// largest errors of an output against its golden into the scene's result, the
// task that wrote the output, and (for --both) dumps the actual array.
#pragma once

#include "harness/report/results.h"
#include "harness/scene_process/task_writes.h"

#include <pybind11/numpy.h>

#include <string>

namespace tandem::harness {

// Python holds it by shared_ptr, so a scene that keeps ctx past run(ctx) holds a live
// object; `result` must outlive the interpreter (it is written after the interpreter ends).
// Hidden like pybind11's own types, which it holds (GCC -Wattributes).
class __attribute__((visibility("hidden"))) SceneContext {
public:
    // `dump_dir`: where each checked actual array goes (output_dump.h); "" for none.
    // `params`: the parameters of the case being run (result.case_name), {} for a scene without cases.
    SceneContext(SceneResult& result, std::string scene_dir, pybind11::dict params, const TaskWrites& task_writes,
                 std::string dump_dir)
        : result_(result),
          scene_dir_(std::move(scene_dir)),
          params_(std::move(params)),
          task_writes_(&task_writes),
          dump_dir_(std::move(dump_dir)) {}

    const std::string& scene() const { return result_.scene; }
    const std::string& arch() const { return result_.arch; }
    const std::string& provider() const { return result_.provider; }
    const std::string& scene_dir() const { return scene_dir_; }
    int32_t device() const { return result_.device; }
    // The case's name (None for a scene without cases) and parameters.
    pybind11::object case_name() const;
    const pybind11::dict& params() const { return params_; }
    // Compares elementwise, |actual - golden| <= atol + rtol * |golden|: integers (and
    // bools) exactly as integers, other real numbers as doubles, where equal values
    // (equal infinities too) match and NaN or an infinite error never does. Complex
    // arrays and tolerances that are not finite numbers >= 0 are refused. Records the
    // check and the task that wrote `actual`; dumps `actual` if there is a dump dir;
    // returns whether it passed. After close(), refuses and makes the scene an error.
    // `equal_nan`: NaN against NaN matches (numpy's isclose(..., equal_nan=True)).
    bool check(const std::string& name, const pybind11::array& actual, const pybind11::array& golden, double rtol,
               double atol, bool equal_nan);
    // run(ctx) returned: the checks are judged now, so later ones are refused.
    void close() { task_writes_ = nullptr; }

private:
    void refuse_late_check(const std::string& name);
    void record_writer(const std::string& name, const pybind11::array& actual);
    void dump(const pybind11::array& actual) const;

    SceneResult& result_;
    std::string scene_dir_;
    pybind11::dict params_;
    const TaskWrites* task_writes_;  // null once closed (the TaskWrites is gone by then)
    std::string dump_dir_;
};

// Adds tandem.SceneContext to the embedded module.
void bind_scene_context(pybind11::module_& tandem);

}  // namespace tandem::harness
