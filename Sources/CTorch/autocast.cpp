// Automatic mixed precision: libtorch's autocast state for one device type on the calling thread.
#include "internal.hpp"
#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace {

at::DeviceType device_type(gt_device_kind kind) {
  switch (kind) {
    case GT_CPU: return at::kCPU;
    case GT_CUDA: return at::kCUDA;
    case GT_META: break;
  }
  throw std::invalid_argument("autocast runs on the CPU or a CUDA device, not on the meta device");
}

// libtorch 2.x keys the state by device type; 1.x has one setter pair per device.
#if TORCH_VERSION_MAJOR >= 2
bool is_enabled(at::DeviceType type) { return at::autocast::is_autocast_enabled(type); }
void set_enabled(at::DeviceType type, bool on) { at::autocast::set_autocast_enabled(type, on); }
at::ScalarType lower_dtype(at::DeviceType type) { return at::autocast::get_autocast_dtype(type); }
void set_lower_dtype(at::DeviceType type, at::ScalarType dtype) { at::autocast::set_autocast_dtype(type, dtype); }
bool cpu_supports(at::ScalarType dtype) { return dtype == at::kBFloat16 || dtype == at::kHalf; }
#else
bool is_enabled(at::DeviceType type) { return type == at::kCPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled(); }
void set_enabled(at::DeviceType type, bool on) {
  if (type == at::kCPU) at::autocast::set_cpu_enabled(on); else at::autocast::set_enabled(on);
}
at::ScalarType lower_dtype(at::DeviceType type) {
  return type == at::kCPU ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
}
void set_lower_dtype(at::DeviceType type, at::ScalarType dtype) {
  if (type == at::kCPU) at::autocast::set_autocast_cpu_dtype(dtype); else at::autocast::set_autocast_gpu_dtype(dtype);
}
bool cpu_supports(at::ScalarType dtype) { return dtype == at::kBFloat16; }
#endif

}  // namespace

extern "C" {

int gt_autocast_enter(gt_device_kind kind, gt_dtype dtype, int *previous_enabled, gt_dtype *previous_dtype) {
  GT_GUARD({
    at::DeviceType type = device_type(kind);
    at::ScalarType lower = ctorch::scalar_type(dtype);
    if (lower != at::kBFloat16 && lower != at::kHalf)
      throw std::invalid_argument(std::string("autocast computes in bfloat16 or float16, not ") + c10::toString(lower));
    if (type == at::kCPU && !cpu_supports(lower))
      throw std::invalid_argument("this libtorch (" TORCH_VERSION ") autocasts to float16 on CUDA only; on the CPU use bfloat16");
    *previous_enabled = is_enabled(type) ? 1 : 0;
    *previous_dtype = ctorch::dtype_code(lower_dtype(type));
    set_lower_dtype(type, lower);
    set_enabled(type, true);
    at::autocast::increment_nesting();
  })
}

int gt_autocast_exit(gt_device_kind kind, int previous_enabled, gt_dtype previous_dtype) {
  GT_GUARD({
    at::DeviceType type = device_type(kind);
    // As torch.autocast's __exit__: the cache of casted weights lives as long as the outermost autocast region.
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    set_enabled(type, previous_enabled != 0);
    set_lower_dtype(type, ctorch::scalar_type(previous_dtype));
  })
}

int gt_autocast_is_enabled(gt_device_kind kind) {
  try {
    return is_enabled(device_type(kind)) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"
