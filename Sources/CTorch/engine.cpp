// Errors, engine facts, type mapping, creation, queries and conversions.
#include "internal.hpp"
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/GradMode.h>
#include <torch/version.h>
#include <cstring>

namespace ctorch {

static thread_local std::string last_error;

void set_error(const std::string &message) { last_error = message; }

std::string engine_message(const c10::Error &error) {
  std::string message = error.what_without_backtrace();
  // A dispatcher miss ("Could not run 'aten::relu' with arguments from the 'Meta' backend. This could be because …")
  // goes on to list the op's ~40 registered backends; the first sentence is what a user can act on.
  size_t cut = message.find(". This could be because the operator doesn't exist for this backend");
  if (cut != std::string::npos) return message.substr(0, cut) + ": this libtorch has no kernel for the op on that device";
  // libtorch 2.x words a missing Meta kernel as "aten::relu: attempted to run this operator with Meta tensors, but …".
  cut = message.find(": attempted to run this operator with Meta tensors");
  if (cut != std::string::npos)
    return "Could not run '" + message.substr(0, cut) + "' with arguments from the 'Meta' backend: this libtorch has no kernel for the op on that device";
  return message;
}

at::ScalarType scalar_type(gt_dtype dtype) {
  switch (dtype) {
    case GT_FLOAT32: return at::kFloat;
    case GT_FLOAT64: return at::kDouble;
    case GT_FLOAT16: return at::kHalf;
    case GT_BFLOAT16: return at::kBFloat16;
    case GT_INT64: return at::kLong;
    case GT_INT32: return at::kInt;
    case GT_INT16: return at::kShort;
    case GT_INT8: return at::kChar;
    case GT_UINT8: return at::kByte;
    case GT_BOOL: return at::kBool;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(static_cast<int>(dtype)));
}

gt_dtype dtype_code(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return GT_FLOAT32;
    case at::kDouble: return GT_FLOAT64;
    case at::kHalf: return GT_FLOAT16;
    case at::kBFloat16: return GT_BFLOAT16;
    case at::kLong: return GT_INT64;
    case at::kInt: return GT_INT32;
    case at::kShort: return GT_INT16;
    case at::kChar: return GT_INT8;
    case at::kByte: return GT_UINT8;
    case at::kBool: return GT_BOOL;
    default: throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(type));
  }
}

at::Device device(gt_device_kind kind, int index) {
  switch (kind) {
    case GT_CPU: return at::Device(at::kCPU);
    case GT_CUDA: return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    case GT_META: return at::Device(at::kMeta);
  }
  throw std::invalid_argument("unknown device kind " + std::to_string(static_cast<int>(kind)));
}

static gt_device_kind device_kind(const at::Device &d) {
  switch (d.type()) {
    case at::kCPU: return GT_CPU;
    case at::kCUDA: return GT_CUDA;
    case at::kMeta: return GT_META;
    default: throw std::invalid_argument("unsupported device " + d.str());
  }
}

at::TensorOptions options(gt_dtype dtype, gt_device_kind kind, int index) {
  return at::TensorOptions().dtype(scalar_type(dtype)).device(device(kind, index));
}

static char *copy_string(const std::string &s) {
  char *out = static_cast<char *>(std::malloc(s.size() + 1));
  if (out != nullptr) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

}  // namespace ctorch

using namespace ctorch;

extern "C" {

const char *gt_last_error(void) { return last_error.c_str(); }
void gt_free(gt_tensor t) { delete t; }
const char *gt_version(void) { return TORCH_VERSION; }
char *gt_build_config(void) {
  try { return copy_string(at::show_config()); } catch (...) { return copy_string("unavailable"); }
}
void gt_free_string(char *s) { std::free(s); }
int gt_cuda_device_count(void) {
  try { return at::detail::getCUDAHooks().getNumGPUs(); } catch (...) { return 0; }
}
int gt_cuda_is_built(void) {
  try { return at::detail::getCUDAHooks().hasCUDART() ? 1 : 0; } catch (...) { return 0; }
}
int gt_cuda_runtime_version(void) {
  try { return static_cast<int>(at::detail::getCUDAHooks().versionCUDART()); } catch (...) { return 0; }
}
int gt_cudnn_version(void) {
  try { return static_cast<int>(at::detail::getCUDAHooks().versionCuDNN()); } catch (...) { return 0; }
}
void gt_manual_seed(uint64_t seed) { at::manual_seed(seed); }
void gt_set_num_threads(int n) { if (n > 0) at::set_num_threads(n); }
int gt_get_num_threads(void) { return at::get_num_threads(); }
int gt_set_grad_enabled(int enabled) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}
int gt_is_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

int gt_from_data(const void *data, const int64_t *shape, int ndim, gt_dtype dtype, gt_tensor *out) {
  GT_GUARD({
    at::Tensor t = at::empty(dims(shape, ndim), at::TensorOptions().dtype(scalar_type(dtype)));
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
    *out = wrap(std::move(t));
  })
}
int gt_empty(const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out) {
  GT_RETURN(out, at::empty(dims(shape, ndim), options(dtype, dev, index)))
}
int gt_full(const int64_t *shape, int ndim, double value, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out) {
  GT_RETURN(out, at::full(dims(shape, ndim), value, options(dtype, dev, index)))
}
int gt_randn(const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out) {
  GT_RETURN(out, at::randn(dims(shape, ndim), options(dtype, dev, index)))
}
int gt_rand(const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out) {
  GT_RETURN(out, at::rand(dims(shape, ndim), options(dtype, dev, index)))
}
int gt_randint(int64_t low, int64_t high, const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index,
               gt_tensor *out) {
  GT_RETURN(out, at::randint(low, high, dims(shape, ndim), options(dtype, dev, index)))
}
int gt_arange(double start, double end, double step, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out) {
  GT_RETURN(out, at::arange(start, end, step, options(dtype, dev, index)))
}
int gt_uniform_(gt_tensor t, double low, double high) { GT_GUARD(ref(t).uniform_(low, high)) }
int gt_normal_(gt_tensor t, double mean, double std) { GT_GUARD(ref(t).normal_(mean, std)) }
int gt_randperm(int64_t n, gt_tensor *out) { GT_RETURN(out, at::randperm(n, at::TensorOptions().dtype(at::kLong))) }
int gt_bernoulli_(gt_tensor t, double p) { GT_GUARD(ref(t).bernoulli_(p)) }

int gt_ndim(gt_tensor t) { return t == nullptr ? 0 : static_cast<int>(t->tensor.dim()); }
int gt_shape(gt_tensor t, int64_t *out) {
  GT_GUARD({
    auto sizes = ref(t).sizes();
    std::copy(sizes.begin(), sizes.end(), out);
  })
}
int64_t gt_numel(gt_tensor t) { return t == nullptr ? 0 : t->tensor.numel(); }
int gt_dtype_of(gt_tensor t) {
  try { return dtype_code(ref(t).scalar_type()); } catch (const std::exception &e) { set_error(e.what()); return -1; }
}
int gt_device_of(gt_tensor t, int *kind, int *index) {
  GT_GUARD({
    at::Device d = ref(t).device();
    *kind = device_kind(d);
    *index = d.has_index() ? d.index() : 0;
  })
}
int gt_copy_to(gt_tensor t, void *dst, size_t nbytes) {
  GT_GUARD({
    at::Tensor c = readable(t).detach().to(at::kCPU).contiguous();
    size_t size = static_cast<size_t>(c.numel()) * c.element_size();
    if (size != nbytes)
      throw std::invalid_argument("copy_to: tensor holds " + std::to_string(size) + " bytes, buffer has " +
                                  std::to_string(nbytes));
    if (size > 0) std::memcpy(dst, c.data_ptr(), size);
  })
}
int gt_data_ptr(gt_tensor t, void **out) {
  GT_GUARD({
    const at::Tensor &x = ref(t);
    if (!x.device().is_cpu() || !x.is_contiguous())
      throw std::invalid_argument("data_ptr needs a contiguous CPU tensor");
    *out = x.data_ptr();
  })
}
int gt_item(gt_tensor t, double *out) { GT_GUARD(*out = readable(t).item<double>()) }
char *gt_describe(gt_tensor t) {
  try {
    std::ostringstream s;
    s << ref(t);
    return copy_string(s.str());
  } catch (const std::exception &e) {
    return copy_string(e.what());
  }
}

int gt_to(gt_tensor t, gt_dtype dtype, gt_device_kind dev, int index, int non_blocking, gt_tensor *out) {
  GT_RETURN(out, ref(t).to(device(dev, index), scalar_type(dtype), non_blocking != 0))
}
int gt_clone(gt_tensor t, gt_tensor *out) { GT_RETURN(out, ref(t).clone()) }
int gt_contiguous(gt_tensor t, gt_tensor *out) { GT_RETURN(out, ref(t).contiguous()) }
int gt_channels_last(gt_tensor t, gt_tensor *out) { GT_RETURN(out, ref(t).contiguous(at::MemoryFormat::ChannelsLast)) }
int gt_detach(gt_tensor t, gt_tensor *out) { GT_RETURN(out, ref(t).detach()) }
int gt_set_data(gt_tensor t, gt_tensor data) {
  GT_GUARD({
    const at::Tensor &source = ref(data);
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    at::Tensor &target = t->tensor;
    if (target.is_same(source)) return 0;  // already there: `to` returned the tensor itself
    if (target.unsafeGetTensorImpl()->has_compatible_shallow_copy_type(source.key_set())) {
      target.set_data(source);  // dense to dense (CPU, CUDA; any dtype): every alias of this tensor follows
    } else {
      // Dense to meta or back: libtorch cannot change a tensor's implementation type in place (PyTorch makes a new
      // Parameter here), so the handle takes a new leaf; Graft's identity is the handle, which every Swift reference holds.
      bool requires_grad = target.requires_grad();
      target = source.detach();
      target.requires_grad_(requires_grad);
    }
  })
}

}  // extern "C"
