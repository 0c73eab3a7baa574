// Host-to-device transfers: page-locked (pinned) host memory, from which gt_to copies without blocking, as a
// DataLoader with pin_memory=True feeding .to(device, non_blocking=True) does in PyTorch; CUDA's TF32 switches and
// synchronisation.
#include "internal.hpp"
#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>

using namespace ctorch;

extern "C" {

int gt_empty_pinned(const int64_t *shape, int ndim, gt_dtype dtype, gt_tensor *out) {
  GT_RETURN(out, at::empty(dims(shape, ndim), at::TensorOptions().dtype(scalar_type(dtype)).pinned_memory(true)))
}

int gt_is_pinned(gt_tensor t) {
  try {
    return ref(t).is_pinned() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

int gt_allows_tf32(void) { return at::globalContext().allowTF32CuDNN() || at::globalContext().allowTF32CuBLAS() ? 1 : 0; }

void gt_set_allows_tf32(int allowed) {
  at::globalContext().setAllowTF32CuDNN(allowed != 0);
  at::globalContext().setAllowTF32CuBLAS(allowed != 0);
}

int gt_device_synchronize(gt_device_kind dev, int index) {
  GT_GUARD({
    if (dev == GT_CUDA) at::detail::getCUDAHooks().deviceSynchronize(index);
  })
}

}  // extern "C"
