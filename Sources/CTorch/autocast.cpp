// Automatic mixed precision: libtorch's autocast state for one device type on the calling thread.
#include "internal.hpp"
#include "torch_compat.hpp"

using namespace ctorch;

namespace {

at::DeviceType device_type(gt_device_kind kind) {
  at::DeviceType type = device(kind, 0).type();
  if (type == at::kMeta) throw std::invalid_argument("autocast runs on the CPU or a CUDA device, not on the meta device");
  return type;
}

}  // namespace

extern "C" {

int gt_autocast_enter(gt_device_kind kind, gt_dtype dtype, int *previous_enabled, gt_dtype *previous_dtype) {
  GT_GUARD({
    at::DeviceType type = device_type(kind);
    at::ScalarType lower = scalar_type(dtype);
    if (lower != at::kBFloat16 && lower != at::kHalf)
      throw std::invalid_argument(std::string("autocast computes in bfloat16 or float16, not ") + c10::toString(lower));
    if (type == at::kCPU && !compat::cpu_autocasts_to(lower))
      throw std::invalid_argument("this libtorch (" TORCH_VERSION ") autocasts to float16 on CUDA only; on the CPU use bfloat16");
    *previous_enabled = compat::autocast_enabled(type) ? 1 : 0;
    *previous_dtype = dtype_code(compat::autocast_dtype(type));
    compat::set_autocast_dtype(type, lower);
    compat::set_autocast_enabled(type, true);
    at::autocast::increment_nesting();
  })
}

int gt_autocast_exit(gt_device_kind kind, int previous_enabled, gt_dtype previous_dtype) {
  GT_GUARD({
    at::DeviceType type = device_type(kind);
    // As torch.autocast's __exit__: the cache of casted weights lives as long as the outermost autocast region.
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    compat::set_autocast_enabled(type, previous_enabled != 0);
    compat::set_autocast_dtype(type, scalar_type(previous_dtype));
  })
}

int gt_autocast_is_enabled(gt_device_kind kind) {
  try {
    return compat::autocast_enabled(device_type(kind)) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"
