// The GPUs as the NVIDIA driver sees them, read through libcuda.so.1 opened at run time: works with any libtorch
// (CPU builds included) and needs no CUDA headers, since the few driver functions used have plain C signatures.
#include "internal.hpp"
#include <dlfcn.h>
#include <algorithm>
#include <cstring>

namespace {

using CUresult = int;
using CUdevice = int;

// The driver's library stays open for the life of the process (libtorch's CUDA build opens it too).
void *driver_function(void *library, const char *name) {
  void *function = dlsym(library, name);
  if (function == nullptr) throw std::runtime_error(std::string("libcuda.so.1 has no ") + name);
  return function;
}

void check(void *library, CUresult result, const char *call) {
  if (result == 0) return;
  auto error_string = reinterpret_cast<CUresult (*)(CUresult, const char **)>(dlsym(library, "cuGetErrorString"));
  const char *message = nullptr;
  if (error_string != nullptr) error_string(result, &message);
  throw std::runtime_error(std::string(call) + " failed: " + (message != nullptr ? message : "error " + std::to_string(result)));
}

}  // namespace

extern "C" {

int gt_gpu_devices(gt_gpu *out, int capacity, int *count, int *driver_version) {
  GT_GUARD({
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (library == nullptr) throw std::runtime_error("no NVIDIA driver (libcuda.so.1 not found)");
    auto init = reinterpret_cast<CUresult (*)(unsigned)>(driver_function(library, "cuInit"));
    auto get_version = reinterpret_cast<CUresult (*)(int *)>(driver_function(library, "cuDriverGetVersion"));
    auto get_count = reinterpret_cast<CUresult (*)(int *)>(driver_function(library, "cuDeviceGetCount"));
    auto get_device = reinterpret_cast<CUresult (*)(CUdevice *, int)>(driver_function(library, "cuDeviceGet"));
    auto get_name = reinterpret_cast<CUresult (*)(char *, int, CUdevice)>(driver_function(library, "cuDeviceGetName"));
    auto total_memory = reinterpret_cast<CUresult (*)(size_t *, CUdevice)>(driver_function(library, "cuDeviceTotalMem_v2"));
    check(library, get_version(driver_version), "cuDriverGetVersion");
    check(library, init(0), "cuInit");
    check(library, get_count(count), "cuDeviceGetCount");
    for (int i = 0; i < std::min(*count, capacity); ++i) {
      CUdevice device = 0;
      size_t bytes = 0;
      check(library, get_device(&device, i), "cuDeviceGet");
      check(library, get_name(out[i].name, sizeof(out[i].name), device), "cuDeviceGetName");
      check(library, total_memory(&bytes, device), "cuDeviceTotalMem");
      out[i].total_memory_bytes = bytes;
    }
  })
}

}  // extern "C"
