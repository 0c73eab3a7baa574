// libtorch's operator profiler, written out as a Chrome trace.
#include <memory>
#include <torch/csrc/autograd/profiler_legacy.h>
#include "internal.hpp"

using namespace ctorch;

namespace {
std::unique_ptr<torch::autograd::profiler::RecordProfile> active_profile;
}

extern "C" {

int gt_profile_begin(const char *path) {
  GT_GUARD({
    if (active_profile) throw std::runtime_error("a profile is already being recorded");
    active_profile = std::make_unique<torch::autograd::profiler::RecordProfile>(std::string(path));
  })
}
int gt_profile_end(void) { GT_GUARD(active_profile.reset()) }

}  // extern "C"
