// Shared plumbing of the C API: handle wrapping, type mapping and the exception barrier.
#pragma once
#include <ATen/ATen.h>
#include <string>
#include "ctorch.h"

struct gt_tensor_s {
  at::Tensor tensor;
};

namespace ctorch {

void set_error(const std::string &message);
// libtorch's message for a failed op, shortened where it lists every backend of a kernel missing on this device.
std::string engine_message(const c10::Error &error);

inline gt_tensor wrap(at::Tensor t) { return new gt_tensor_s{std::move(t)}; }

inline const at::Tensor &ref(gt_tensor t) {
  if (t == nullptr) throw std::invalid_argument("null tensor handle");
  return t->tensor;
}

inline c10::optional<at::Tensor> optional_ref(gt_tensor t) {
  if (t == nullptr) return c10::nullopt;
  return t->tensor;
}

// The tensor, after checking that it has values to read (a meta tensor has only a shape and dtype).
inline const at::Tensor &readable(gt_tensor t) {
  const at::Tensor &x = ref(t);
  if (x.is_meta())
    throw std::invalid_argument("a meta tensor has a shape and dtype but no values to read; compute on the CPU or a CUDA device");
  return x;
}

inline at::IntArrayRef dims(const int64_t *values, int n) { return at::IntArrayRef(values, static_cast<size_t>(n)); }

at::ScalarType scalar_type(gt_dtype dtype);
gt_dtype dtype_code(at::ScalarType type);
at::Device device(gt_device_kind kind, int index);
at::TensorOptions options(gt_dtype dtype, gt_device_kind kind, int index);

}  // namespace ctorch

// Wraps a function body so that every C++ exception becomes a return code plus a message.
#define GT_GUARD(body)                                                  \
  try {                                                                 \
    body;                                                               \
    return 0;                                                           \
  } catch (const c10::Error &e) {                                       \
    ctorch::set_error(ctorch::engine_message(e));                       \
  } catch (const std::exception &e) {                                   \
    ctorch::set_error(e.what());                                        \
  } catch (...) {                                                       \
    ctorch::set_error("unknown C++ exception");                         \
  }                                                                     \
  return 1;

// The common shape of an op that produces one new tensor.
#define GT_RETURN(out, expr) GT_GUARD(*(out) = ctorch::wrap(expr))
