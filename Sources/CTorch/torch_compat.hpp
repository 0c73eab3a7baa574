// The differences between the libtorch versions the shim builds against (Debian's 1.13 and the current 2.x), kept in
// one place so that the rest of the shim is written once.
#pragma once
#include <ATen/autocast_mode.h>
#include <c10/core/Allocator.h>
#include <torch/version.h>

#define CTORCH_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace ctorch::compat {

// A base for allocators: subclasses implement `allocate_data`. libtorch 2.3 made `Allocator::allocate` non-const and
// added the pure virtual `copy_data` (clone's copy), which plain memory copies like a CPU allocator's.
struct Allocator : at::Allocator {
  virtual at::DataPtr allocate_data(size_t n) const = 0;
#if CTORCH_TORCH_AT_LEAST(2, 3)
  at::DataPtr allocate(size_t n) override { return allocate_data(n); }
  void copy_data(void *dest, const void *src, size_t count) const override { default_copy_data(dest, src, count); }
#else
  at::DataPtr allocate(size_t n) const override { return allocate_data(n); }
#endif
};

// Autocast's state for one device type on this thread. libtorch 2.4 keys it by device type; before, each device had
// its own functions. Float16 autocast on the CPU also arrived with the keyed interface.
#if CTORCH_TORCH_AT_LEAST(2, 4)
inline bool autocast_enabled(at::DeviceType type) { return at::autocast::is_autocast_enabled(type); }
inline void set_autocast_enabled(at::DeviceType type, bool on) { at::autocast::set_autocast_enabled(type, on); }
inline at::ScalarType autocast_dtype(at::DeviceType type) { return at::autocast::get_autocast_dtype(type); }
inline void set_autocast_dtype(at::DeviceType type, at::ScalarType dtype) { at::autocast::set_autocast_dtype(type, dtype); }
inline bool cpu_autocasts_to(at::ScalarType dtype) { return dtype == at::kBFloat16 || dtype == at::kHalf; }
#else
inline bool autocast_enabled(at::DeviceType type) {
  return type == at::kCPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
}
inline void set_autocast_enabled(at::DeviceType type, bool on) {
  if (type == at::kCPU) at::autocast::set_cpu_enabled(on); else at::autocast::set_enabled(on);
}
inline at::ScalarType autocast_dtype(at::DeviceType type) {
  return type == at::kCPU ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
}
inline void set_autocast_dtype(at::DeviceType type, at::ScalarType dtype) {
  if (type == at::kCPU) at::autocast::set_autocast_cpu_dtype(dtype); else at::autocast::set_autocast_gpu_dtype(dtype);
}
inline bool cpu_autocasts_to(at::ScalarType dtype) { return dtype == at::kBFloat16; }
#endif

}  // namespace ctorch::compat
