// A flat C API over libtorch. Every tensor is an opaque handle owning one at::Tensor; the caller frees it
// exactly once with gt_free. Every function that can fail returns 0 on success and non-zero on failure;
// the failure's message is then available from gt_last_error() (per thread) until the next failing call.
// No C++ exception ever crosses this boundary.
#ifndef CTORCH_H
#define CTORCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gt_tensor_s *gt_tensor;

/// Element types, numbered independently of libtorch's enum.
typedef enum {
  GT_FLOAT32 = 0, GT_FLOAT64 = 1, GT_FLOAT16 = 2, GT_BFLOAT16 = 3,
  GT_INT64 = 4, GT_INT32 = 5, GT_INT16 = 6, GT_INT8 = 7, GT_UINT8 = 8, GT_BOOL = 9
} gt_dtype;

/// Device kinds; the index selects among several devices of one kind (CUDA only). Meta tensors have a shape and
/// dtype but no memory and no values.
typedef enum { GT_CPU = 0, GT_CUDA = 1, GT_META = 2 } gt_device_kind;

typedef enum {
  GT_ADD = 0, GT_SUB, GT_MUL, GT_DIV, GT_POW, GT_MAXIMUM, GT_MINIMUM,
  GT_EQ, GT_NE, GT_LT, GT_LE, GT_GT, GT_GE
} gt_binary_op;

typedef enum {
  GT_NEG = 0, GT_EXP, GT_LOG, GT_SQRT, GT_RSQRT, GT_ABS, GT_RELU, GT_RELU6, GT_GELU, GT_SIGMOID, GT_TANH,
  GT_SIGN, GT_SQUARE, GT_RECIPROCAL, GT_FLOOR, GT_SILU, GT_HARDSWISH, GT_HARDSIGMOID
} gt_unary_op;

typedef enum { GT_REDUCE_NONE = 0, GT_REDUCE_MEAN = 1, GT_REDUCE_SUM = 2 } gt_reduction;

// Errors, memory, engine facts.
const char *gt_last_error(void);
void gt_free(gt_tensor t);
const char *gt_version(void);
/// libtorch's build configuration text (compiler, CPU capability, oneDNN, OpenMP); the caller frees it with gt_free_string.
char *gt_build_config(void);
void gt_free_string(char *s);
/// CUDA devices libtorch can use (0 with a CPU-only build or without a visible device).
int gt_cuda_device_count(void);
/// 1 when this libtorch was built with CUDA and its CUDA library is loaded, whether or not a device is visible.
int gt_cuda_is_built(void);
void gt_manual_seed(uint64_t seed);
// Records every libtorch operator with its time from now until gt_profile_end, then writes a Chrome trace to path.
int gt_profile_begin(const char *path);
int gt_profile_end(void);
void gt_set_num_threads(int n);
/* Installs the caching CPU allocator (caching_allocator.cpp) for every later tensor; 1 on success. */
int gt_cache_tensor_memory(void);
/* Gives the pages of the caching allocator's free blocks back to the system; returns the bytes given back. */
size_t gt_release_cached_memory(void);
typedef struct {
  size_t reserved_bytes; /* address space reserved for large tensors (touched pages only count as memory) */
  size_t free_bytes;     /* the part of it in free blocks */
  size_t free_blocks;
} gt_allocator_stats;
gt_allocator_stats gt_allocator_statistics(void);
int gt_get_num_threads(void);
/// Enables or disables gradient recording on the calling thread; returns the previous setting.
int gt_set_grad_enabled(int enabled);
int gt_is_grad_enabled(void);

// Creation. Shapes are int64 arrays of length ndim.
int gt_from_data(const void *data, const int64_t *shape, int ndim, gt_dtype dtype, gt_tensor *out);
int gt_empty(const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out);
int gt_full(const int64_t *shape, int ndim, double value, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out);
int gt_randn(const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out);
int gt_rand(const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out);
int gt_randint(int64_t low, int64_t high, const int64_t *shape, int ndim, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out);
int gt_arange(double start, double end, double step, gt_dtype dtype, gt_device_kind dev, int index, gt_tensor *out);
int gt_uniform_(gt_tensor t, double low, double high);
int gt_normal_(gt_tensor t, double mean, double std);
int gt_randperm(int64_t n, gt_tensor *out);
/// Fills t in place with 1 (probability p) or 0, drawing from the generator as torch's `bernoulli_(p)` does.
int gt_bernoulli_(gt_tensor t, double p);

// Queries and data access.
int gt_ndim(gt_tensor t);
int gt_shape(gt_tensor t, int64_t *dims);
int64_t gt_numel(gt_tensor t);
int gt_dtype_of(gt_tensor t);
int gt_device_of(gt_tensor t, int *kind, int *index);
/// Copies the tensor's elements (made contiguous, moved to the CPU) into dst, which holds nbytes. Like every function
/// that reads values (gt_item, gt_allclose, gt_isfinite_all) it fails for a meta tensor, which has none.
int gt_copy_to(gt_tensor t, void *dst, size_t nbytes);
/// The address of a contiguous CPU tensor's first element, for writing batches in place; fails otherwise.
int gt_data_ptr(gt_tensor t, void **out);
int gt_item(gt_tensor t, double *out);
/// Prints like PyTorch's repr into a string the caller frees with gt_free_string.
char *gt_describe(gt_tensor t);

// Conversions and copies.
/// t in dtype on the device (itself when nothing changes); with non_blocking, a copy from pinned memory to a CUDA
/// device is queued on the device's current stream and the call returns at once.
int gt_to(gt_tensor t, gt_dtype dtype, gt_device_kind dev, int index, int non_blocking, gt_tensor *out);
int gt_clone(gt_tensor t, gt_tensor *out);
int gt_contiguous(gt_tensor t, gt_tensor *out);
int gt_channels_last(gt_tensor t, gt_tensor *out);
int gt_detach(gt_tensor t, gt_tensor *out);
/// Makes t hold data's values in place (PyTorch's `param.data = data`): the handle stays the same, so everything that
/// holds it sees the new device or dtype; requires_grad is kept, an accumulated gradient is left for the caller to move.
int gt_set_data(gt_tensor t, gt_tensor data);

// Shape operations.
int gt_reshape(gt_tensor t, const int64_t *shape, int ndim, gt_tensor *out);
int gt_view(gt_tensor t, const int64_t *shape, int ndim, gt_tensor *out);
int gt_permute(gt_tensor t, const int64_t *dims, int ndim, gt_tensor *out);
int gt_transpose(gt_tensor t, int64_t dim0, int64_t dim1, gt_tensor *out);
int gt_expand(gt_tensor t, const int64_t *shape, int ndim, gt_tensor *out);
int gt_cat(const gt_tensor *ts, int n, int64_t dim, gt_tensor *out);
int gt_stack(const gt_tensor *ts, int n, int64_t dim, gt_tensor *out);
int gt_slice(gt_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, gt_tensor *out);
int gt_select(gt_tensor t, int64_t dim, int64_t index, gt_tensor *out);
int gt_index_select(gt_tensor t, int64_t dim, gt_tensor index, gt_tensor *out);
/// A copy of t whose entries at the int64 index along dim are replaced by source's (PyTorch's out-of-place index_copy).
int gt_index_copy(gt_tensor t, int64_t dim, gt_tensor index, gt_tensor source, gt_tensor *out);
int gt_flatten(gt_tensor t, int64_t start, int64_t end, gt_tensor *out);
int gt_squeeze(gt_tensor t, int64_t dim, gt_tensor *out);
int gt_unsqueeze(gt_tensor t, int64_t dim, gt_tensor *out);
/// Shifts t circularly by shifts[i] along dims[i] (torch.roll), for n pairs.
int gt_roll(gt_tensor t, const int64_t *shifts, const int64_t *roll_dims, int n, gt_tensor *out);

// Arithmetic.
int gt_binary(gt_binary_op op, gt_tensor a, gt_tensor b, gt_tensor *out);
int gt_binary_scalar(gt_binary_op op, gt_tensor a, double s, gt_tensor *out);
int gt_unary(gt_unary_op op, gt_tensor a, gt_tensor *out);
int gt_clamp(gt_tensor a, double low, double high, gt_tensor *out);
int gt_clamp_(gt_tensor a, double low, double high);
int gt_where(gt_tensor cond, gt_tensor a, gt_tensor b, gt_tensor *out);
int gt_matmul(gt_tensor a, gt_tensor b, gt_tensor *out);

// In-place updates (for optimizers and initialisers; run them under no-grad for parameters).
int gt_binary_(gt_binary_op op, gt_tensor a, gt_tensor b);
int gt_binary_scalar_(gt_binary_op op, gt_tensor a, double s);
/// a += alpha * b
int gt_add_scaled_(gt_tensor a, gt_tensor b, double alpha);
/// a += value * b * c
int gt_addcmul_(gt_tensor a, gt_tensor b, gt_tensor c, double value);
/// a += value * b / c
int gt_addcdiv_(gt_tensor a, gt_tensor b, gt_tensor c, double value);
int gt_copy_(gt_tensor dst, gt_tensor src);
int gt_fill_(gt_tensor t, double value);

// Reductions. ndims == 0 reduces over every dimension.
int gt_sum(gt_tensor t, const int64_t *dims, int ndims, int keepdim, gt_tensor *out);
int gt_mean(gt_tensor t, const int64_t *dims, int ndims, int keepdim, gt_tensor *out);
int gt_var(gt_tensor t, const int64_t *dims, int ndims, int unbiased, int keepdim, gt_tensor *out);
int gt_max_dim(gt_tensor t, int64_t dim, int keepdim, gt_tensor *values, gt_tensor *indices);
int gt_min_dim(gt_tensor t, int64_t dim, int keepdim, gt_tensor *values, gt_tensor *indices);
int gt_max_all(gt_tensor t, gt_tensor *out);
int gt_min_all(gt_tensor t, gt_tensor *out);
int gt_argmax(gt_tensor t, int64_t dim, int keepdim, gt_tensor *out);
int gt_topk(gt_tensor t, int64_t k, int64_t dim, int largest, gt_tensor *values, gt_tensor *indices);
int gt_norm(gt_tensor t, gt_tensor *out);
int gt_allclose(gt_tensor a, gt_tensor b, double rtol, double atol, int *out);
int gt_isfinite_all(gt_tensor t, int *out);

// Neural-network operations. Optional tensors may be NULL.
int gt_conv2d(gt_tensor x, gt_tensor w, gt_tensor b, const int64_t *stride, const int64_t *padding,
              const int64_t *dilation, int64_t groups, gt_tensor *out);
/// Batch normalisation; in training mode running_mean/running_var (if given) are updated in place.
int gt_batch_norm(gt_tensor x, gt_tensor weight, gt_tensor bias, gt_tensor running_mean, gt_tensor running_var,
                  int training, double momentum, double eps, gt_tensor *out);
int gt_layer_norm(gt_tensor x, const int64_t *normalized_shape, int ndim, gt_tensor weight, gt_tensor bias,
                  double eps, gt_tensor *out);
int gt_linear(gt_tensor x, gt_tensor w, gt_tensor b, gt_tensor *out);
// x·wᵀ + b by oneDNN's inner product (float32 on the CPU; the input is converted to oneDNN's layout and the result
// back); differentiable, saving for the backward only what gt_linear saves.
int gt_linear_onednn(gt_tensor x, gt_tensor w, gt_tensor b, gt_tensor *out);
int gt_embedding(gt_tensor weight, gt_tensor indices, int64_t padding_idx, gt_tensor *out);
int gt_max_pool2d(gt_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                  const int64_t *dilation, int ceil_mode, gt_tensor *out);
int gt_avg_pool2d(gt_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                  int ceil_mode, int count_include_pad, gt_tensor *out);
int gt_adaptive_avg_pool2d(gt_tensor x, const int64_t *output_size, gt_tensor *out);
int gt_dropout(gt_tensor x, double p, int training, gt_tensor *out);
/// Constant padding of the last dimensions: pads = (left, right, top, bottom, ...) like torch.nn.functional.pad.
int gt_pad(gt_tensor x, const int64_t *pads, int npads, double value, gt_tensor *out);
int gt_softmax(gt_tensor x, int64_t dim, gt_tensor *out);
int gt_log_softmax(gt_tensor x, int64_t dim, gt_tensor *out);
/// Cross-entropy over class logits [N, C] and int64 targets [N]; weight [C] may be NULL.
int gt_cross_entropy(gt_tensor logits, gt_tensor target, gt_tensor weight, gt_reduction reduction,
                     int64_t ignore_index, double label_smoothing, gt_tensor *out);
/// Bicubic resizing of [N, C, H, W] to output_size (height, width), like F.interpolate(mode="bicubic").
int gt_upsample_bicubic2d(gt_tensor x, const int64_t *output_size, int align_corners, gt_tensor *out);

// Autograd.
int gt_set_requires_grad(gt_tensor t, int requires_grad);
int gt_requires_grad(gt_tensor t);
/// Back-propagates from t; grad may be NULL for a scalar t.
int gt_backward(gt_tensor t, gt_tensor grad, int retain_graph);
/// The accumulated gradient, or *out = NULL when there is none.
int gt_grad(gt_tensor t, gt_tensor *out);
/// Drops the accumulated gradient (like PyTorch's zero_grad(set_to_none=True)).
int gt_clear_grad(gt_tensor t);
int gt_set_grad(gt_tensor t, gt_tensor grad);

// Distributed collectives over libtorch's c10d (TCPStore, PrefixStore, ProcessGroupGloo). Stores and process groups
// are opaque handles freed exactly once with their free function; a process group keeps its store alive. Every
// network failure and timeout fails the call with a message, like every other function here.
typedef struct gt_store_s *gt_store;
typedef struct gt_process_group_s *gt_process_group;

/// Starts (is_server) a c10d TCPStore on port and connects to it, or connects to the one at host:port, retrying until
/// timeout_seconds. Port 0 on a server binds a free port (gt_store_port reads it). world_size is the number of
/// processes that connect; a client checks in on the store's worker count as torch.distributed's clients do, a server
/// does not wait for them (the process group's rendezvous does). The timeout also bounds every later get and wait.
int gt_store_create_tcp(const char *host, int port, int is_server, int world_size, double timeout_seconds, gt_store *out);
/// The port a TCP store listens on or connects to; fails for a prefixed store.
int gt_store_port(gt_store store, int *out);
/// A view of store whose keys are prefix + "/" + key (c10d's PrefixStore, as torch.distributed nests them).
int gt_store_prefixed(gt_store store, const char *prefix, gt_store *out);
/// Adds amount to the integer under key (created as 0) and writes the new value to *out; amount 0 reads it.
int gt_store_add(gt_store store, const char *key, int64_t amount, int64_t *out);
void gt_store_free(gt_store store);

/// A Gloo process group of world_size ranks rendezvousing through store (all ranks must pass equally prefixed stores).
/// Its devices are the interfaces listed in GLOO_SOCKET_IFNAME (comma-separated) when set, else the address the host
/// name resolves to (loopback when it resolves to none), as torch.distributed does. timeout_seconds bounds the
/// rendezvous and each later collective.
int gt_process_group_create_gloo(gt_store store, int rank, int world_size, double timeout_seconds, gt_process_group *out);
/// Agrees on the group's collective sequence number through its store (rank 0 sets it, the others wait for it), the
/// step torch.distributed.init_process_group takes after its store-based barrier.
int gt_process_group_sync_sequence_number(gt_process_group group);
/// Sums n tensors of one dtype in place over the group: one allreduce of their flattened concatenation (n > 1) or of
/// the tensor itself (n == 1).
int gt_process_group_allreduce_sum(gt_process_group group, const gt_tensor *tensors, int n);
/// Overwrites n tensors of one dtype with root's values, as one flattened broadcast when n > 1.
int gt_process_group_broadcast(gt_process_group group, const gt_tensor *tensors, int n, int root);
/// Returns once every rank has called it.
int gt_process_group_barrier(gt_process_group group);
/// Writes each rank's copy of t (same shape and dtype on every rank) to outs[rank]; outs holds world_size handles.
int gt_process_group_allgather(gt_process_group group, gt_tensor t, gt_tensor *outs);
void gt_process_group_free(gt_process_group group);

/// Turns libtorch's autocast (automatic mixed precision) on for kind's device type on this thread, computing eligible
/// ops in dtype (GT_BFLOAT16 or GT_FLOAT16), as torch.autocast's __enter__; writes the previous state for
/// gt_autocast_exit. Fails for a dtype the device type cannot autocast to (libtorch 1.13's CPU: bfloat16 only).
int gt_autocast_enter(gt_device_kind kind, gt_dtype dtype, int *previous_enabled, gt_dtype *previous_dtype);
/// Leaves an autocast region: restores the state gt_autocast_enter wrote and, leaving the outermost region, drops the
/// cache of lower-precision weight copies.
int gt_autocast_exit(gt_device_kind kind, int previous_enabled, gt_dtype previous_dtype);
/// 1 when autocast is on for kind's device type on this thread, else 0.
int gt_autocast_is_enabled(gt_device_kind kind);

/// A CPU tensor in page-locked (pinned) host memory, from which copies to a CUDA device can run without blocking the
/// host (torch.empty(..., pin_memory=True)); fails when libtorch has no CUDA.
int gt_empty_pinned(const int64_t *shape, int ndim, gt_dtype dtype, gt_tensor *out);
/// 1 when t lives in pinned host memory, else 0.
int gt_is_pinned(gt_tensor t);
/// 1 when float32 convolutions (cuDNN) or matrix products (cuBLAS) on CUDA may use TensorFloat-32, else 0.
int gt_allows_tf32(void);
/// Lets float32 convolutions and matrix products on CUDA use TensorFloat-32 (10-bit mantissa) or not
/// (torch.backends.cudnn.allow_tf32 and torch.backends.cuda.matmul.allow_tf32 together).
void gt_set_allows_tf32(int allowed);
/// Waits until all work queued on a CUDA device has finished (torch.cuda.synchronize); returns at once for the CPU.
int gt_device_synchronize(gt_device_kind dev, int index);

// CUDA facts for `graft doctor`, whichever libtorch the shim was built against.
/// The CUDA runtime libtorch was built with (CUDART_VERSION, e.g. 13020 for 13.2); 0 without CUDA.
int gt_cuda_runtime_version(void);
/// The cuDNN libtorch was built with (CUDNN_VERSION, e.g. 92600 for 9.26.0); 0 without cuDNN.
int gt_cudnn_version(void);

/// One GPU as the NVIDIA driver reports it.
typedef struct {
  char name[256];
  uint64_t total_memory_bytes;
} gt_gpu;
/// The NVIDIA driver's version (e.g. 13020 for CUDA 13.2), its GPU count in *count and the first min(count, capacity)
/// GPUs in out, read from libcuda.so.1 (opened at run time, so with any libtorch). Fails when there is no driver.
int gt_gpu_devices(gt_gpu *out, int capacity, int *count, int *driver_version);

#ifdef __cplusplus
}
#endif

#endif
