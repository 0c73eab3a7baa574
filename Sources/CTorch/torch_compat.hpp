// The differences between the libtorch versions the shim builds against (Debian's 1.13 and the current 2.x), kept in
// one place so that the rest of the shim is written once.
#pragma once
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

}  // namespace ctorch::compat
