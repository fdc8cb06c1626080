#include "runtime/host/l3/submission_plan.h"

#include "common/hex.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace tandem::runtime::l3 {
namespace {

constexpr const char* kHowToShare =
    "Allocate it with Worker::create_buffer(nbytes) (shared, zero-copy) or register it with "
    "Worker::register_host_buffer(pointer, nbytes) before submitting";

class Planner {
public:
    explicit Planner(const PlanContext& context) : context_(context) {}

    TensorRecord resolve(const TensorArg& arg, SubmissionPlan& plan) {
        const Tensor& tensor = arg.tensor;
        if (tensor.bytes() > kMaxDeviceBytes) throw std::invalid_argument("it spans more than 2^48 bytes");
        if (tensor.strided()) {
            throw std::invalid_argument(
                "it is a strided view, which a Worker's chips do not take (yet): copy it "
                "into a contiguous array (numpy.ascontiguousarray) or run it on a ChipWorker");
        }
        TensorRecord record{};
        record.direction = uint32_t(arg.direction);
        record.dtype = uint32_t(tensor.dtype);
        record.ndims = static_cast<uint32_t>(tensor.shape.size());
        std::copy(tensor.shape.begin(), tensor.shape.end(), record.shape);
        if (tensor.child_memory) {
            // Device memory from Worker::malloc: this chip's, live, large enough; the chip sees its own address.
            record.location = uint32_t(TensorLocation::Device);
            record.address = context_.device_memory.resolve(context_.device_id, tensor.device, tensor.bytes(), "");
            return record;
        }
        if (!tensor.staged()) {
            // Host memory the chip maps: passed through; the chip's ChipWorker checks the address.
            record.location = uint32_t(TensorLocation::HostMapped);
            record.address = tensor.device;
            return record;
        }
        const uint64_t begin = tensor.begin(), bytes = tensor.bytes();
        if (bytes == 0) throw std::invalid_argument("it has no elements");
        const RangeLookup lookup = context_.registry.find(begin, bytes);
        if (tensor.host_buffer) require_live_buffer(tensor.host_buffer, lookup);
        if (lookup.match == RangeMatch::Straddles) {
            const HostBufferEntry& e = *lookup.entry;
            if (begin >= e.begin) {
                throw std::invalid_argument(
                    "it runs past the end of " + describe(e) + ": it needs bytes [" + std::to_string(begin - e.begin) +
                    ", " + std::to_string(begin - e.begin + bytes) + "); a view must lie inside its buffer");
            }
            throw std::invalid_argument("it overlaps " + describe(e) +
                                        " but starts before it; a tensor must lie inside one buffer or registration");
        }
        if (lookup.match == RangeMatch::Inside) {
            const HostBufferEntry& e = *lookup.entry;
            record.location = uint32_t(TensorLocation::Mapped);
            record.token = e.token;
            record.address = begin - e.begin;
            if (std::find(plan.tokens.begin(), plan.tokens.end(), e.token) == plan.tokens.end())
                plan.tokens.push_back(e.token);
            plan.touched.push_back(TouchedRange{begin, bytes, writes(arg.direction)});
            if (e.registered && reads(arg.direction)) plan.copy_in.push_back(MirrorCopy{e.token, begin, bytes});
            if (e.registered && writes(arg.direction)) plan.copy_out.push_back(MirrorCopy{e.token, begin, bytes});
            return record;
        }
        return resolve_inherited(arg, begin, bytes, record, plan);
    }

private:
    // A view made from a buffer (Worker::view) must still find that buffer, not a newer one
    // at the same address.
    static void require_live_buffer(uint64_t token, const RangeLookup& lookup) {
        if (lookup.entry && lookup.entry->token == token) return;
        std::string message = "it views host buffer #" + std::to_string(token) + ", which was released";
        if (lookup.entry) message += "; its memory now belongs to " + describe(*lookup.entry);
        throw std::invalid_argument(message + ". Make the tensor again from a live buffer");
    }

    TensorRecord resolve_inherited(const TensorArg& arg, uint64_t begin, uint64_t bytes, TensorRecord record,
                                   SubmissionPlan& plan) {
        if (!now_) now_ = read_memory_mappings();
        const InheritedRange inherited = context_.inherited.classify(begin, bytes, *now_);
        if (inherited.kind == Inheritance::None) {
            throw std::invalid_argument(
                "it is not visible to the chip children: it is neither a worker buffer nor registered, and the "
                "children did not inherit it at the fork (it was allocated after the fork). " +
                std::string(kHowToShare));
        }
        if (writes(arg.direction) && inherited.kind == Inheritance::Private) {
            throw std::invalid_argument(
                "it is written, but it is private memory from before the fork: each chip child holds its own copy, "
                "so this process would never see the result. " +
                std::string(kHowToShare));
        }
        if (writes(arg.direction) && !inherited.writable)
            throw std::invalid_argument("it is written, but it is read-only memory");
        record.location = uint32_t(TensorLocation::ForkInherited);
        record.address = begin;
        if (inherited.kind == Inheritance::Private) {
            // The child's copy is the fork-time snapshot: it must still equal this process's bytes.
            record.verify_content = 1;
            record.content_hash = content_hash(reinterpret_cast<const void*>(begin), bytes);
        } else {
            plan.touched.push_back(TouchedRange{begin, bytes, writes(arg.direction)});
        }
        return record;
    }

    const PlanContext& context_;
    std::optional<std::vector<MemoryMapping>> now_;  // read once per submission, when first needed
};

}  // namespace

SubmissionPlan plan_submission(const TaskGraph& graph, const PlanContext& context) {
    SubmissionPlan plan;
    SubmitMessage& m = plan.message;
    Planner planner(context);
    for (uint32_t index = 0; index < graph.tasks().size(); ++index) {
        const Task& task = graph.tasks()[index];
        const std::string where = "task " + std::to_string(index) + " ('" + task.kernel + "')";
        if (!context.kernels.count(task.kernel)) {
            throw std::invalid_argument(where +
                                        " uses a kernel that is not registered; call Worker::register_kernel first");
        }
        TaskRecord record{};
        const auto kernel = std::find(m.kernels.begin(), m.kernels.end(), task.kernel);
        record.kernel = static_cast<uint32_t>(kernel - m.kernels.begin());
        if (kernel == m.kernels.end()) m.kernels.push_back(task.kernel);
        record.first_tensor = static_cast<uint32_t>(m.tensors.size());
        record.tensor_count = static_cast<uint32_t>(task.tensors.size());
        for (uint32_t arg = 0; arg < task.tensors.size(); ++arg) {
            try {
                m.tensors.push_back(planner.resolve(task.tensors[arg], plan));
            } catch (const std::invalid_argument& error) {
                throw std::invalid_argument(where + " tensor " + std::to_string(arg) + " (" +
                                            task.tensors[arg].tensor.describe() + "): " + error.what());
            }
        }
        record.first_scalar = static_cast<uint32_t>(m.scalars.size());
        record.scalar_count = static_cast<uint32_t>(task.scalars.size());
        m.scalars.insert(m.scalars.end(), task.scalars.begin(), task.scalars.end());
        record.first_after = static_cast<uint32_t>(m.after.size());
        record.after_count = static_cast<uint32_t>(task.after.size());
        m.after.insert(m.after.end(), task.after.begin(), task.after.end());
        m.tasks.push_back(record);
    }
    return plan;
}

std::string find_conflict(const SubmissionPlan& plan, const SubmissionPlan& other) {
    for (const TouchedRange& a : plan.touched) {
        for (const TouchedRange& b : other.touched) {
            if ((a.writes || b.writes) && a.begin < b.begin + b.bytes && b.begin < a.begin + a.bytes) {
                return "host memory " + hex(std::max(a.begin, b.begin)) + " (" + (a.writes ? "written" : "read") +
                       " here, " + (b.writes ? "written" : "read") + " there)";
            }
        }
    }
    return {};
}

}  // namespace tandem::runtime::l3
