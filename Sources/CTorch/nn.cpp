// Neural-network operations and autograd.
#include "internal.hpp"

using namespace ctorch;

extern "C" {

int gt_conv2d(gt_tensor x, gt_tensor w, gt_tensor b, const int64_t *stride, const int64_t *padding,
              const int64_t *dilation, int64_t groups, gt_tensor *out) {
  GT_RETURN(out, at::conv2d(ref(x), ref(w), optional_ref(b), dims(stride, 2), dims(padding, 2), dims(dilation, 2), groups))
}
int gt_batch_norm(gt_tensor x, gt_tensor weight, gt_tensor bias, gt_tensor running_mean, gt_tensor running_var,
                  int training, double momentum, double eps, gt_tensor *out) {
  GT_RETURN(out, at::batch_norm(ref(x), optional_ref(weight), optional_ref(bias), optional_ref(running_mean),
                                optional_ref(running_var), training != 0, momentum, eps, true))
}
int gt_layer_norm(gt_tensor x, const int64_t *normalized_shape, int ndim, gt_tensor weight, gt_tensor bias, double eps,
                  gt_tensor *out) {
  GT_RETURN(out, at::layer_norm(ref(x), dims(normalized_shape, ndim), optional_ref(weight), optional_ref(bias), eps))
}
int gt_linear(gt_tensor x, gt_tensor w, gt_tensor b, gt_tensor *out) { GT_RETURN(out, at::linear(ref(x), ref(w), optional_ref(b))) }
int gt_embedding(gt_tensor weight, gt_tensor indices, int64_t padding_idx, gt_tensor *out) {
  GT_RETURN(out, at::embedding(ref(weight), ref(indices), padding_idx))
}
int gt_max_pool2d(gt_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding, const int64_t *dilation,
                  int ceil_mode, gt_tensor *out) {
  GT_RETURN(out, at::max_pool2d(ref(x), dims(kernel, 2), dims(stride, 2), dims(padding, 2), dims(dilation, 2), ceil_mode != 0))
}
int gt_avg_pool2d(gt_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding, int ceil_mode,
                  int count_include_pad, gt_tensor *out) {
  GT_RETURN(out, at::avg_pool2d(ref(x), dims(kernel, 2), dims(stride, 2), dims(padding, 2), ceil_mode != 0, count_include_pad != 0))
}
int gt_adaptive_avg_pool2d(gt_tensor x, const int64_t *output_size, gt_tensor *out) {
  GT_RETURN(out, at::adaptive_avg_pool2d(ref(x), dims(output_size, 2)))
}
int gt_dropout(gt_tensor x, double p, int training, gt_tensor *out) { GT_RETURN(out, at::dropout(ref(x), p, training != 0)) }
int gt_pad(gt_tensor x, const int64_t *pads, int npads, double value, gt_tensor *out) {
  GT_RETURN(out, at::constant_pad_nd(ref(x), dims(pads, npads), value))
}
int gt_softmax(gt_tensor x, int64_t dim, gt_tensor *out) { GT_RETURN(out, at::softmax(ref(x), dim)) }
int gt_log_softmax(gt_tensor x, int64_t dim, gt_tensor *out) { GT_RETURN(out, at::log_softmax(ref(x), dim)) }
int gt_cross_entropy(gt_tensor logits, gt_tensor target, gt_tensor weight, gt_reduction reduction, int64_t ignore_index,
                     double label_smoothing, gt_tensor *out) {
  GT_RETURN(out, at::cross_entropy_loss(ref(logits), ref(target), optional_ref(weight), static_cast<int64_t>(reduction),
                                        ignore_index, label_smoothing))
}
int gt_upsample_bicubic2d(gt_tensor x, const int64_t *output_size, int align_corners, gt_tensor *out) {
  GT_RETURN(out, at::upsample_bicubic2d(ref(x), dims(output_size, 2), align_corners != 0))
}

int gt_set_requires_grad(gt_tensor t, int requires_grad) { GT_GUARD(ref(t).requires_grad_(requires_grad != 0)) }
int gt_requires_grad(gt_tensor t) { return t != nullptr && t->tensor.requires_grad() ? 1 : 0; }
int gt_backward(gt_tensor t, gt_tensor grad, int retain_graph) {
  GT_GUARD(ref(t).backward(grad == nullptr ? at::Tensor() : ref(grad), retain_graph != 0))
}
int gt_grad(gt_tensor t, gt_tensor *out) {
  GT_GUARD({
    const at::Tensor &g = ref(t).grad();
    *out = g.defined() ? wrap(g) : nullptr;
  })
}
int gt_clear_grad(gt_tensor t) { GT_GUARD(ref(t).mutable_grad().reset()) }
int gt_set_grad(gt_tensor t, gt_tensor grad) { GT_GUARD(ref(t).mutable_grad() = ref(grad)) }

}  // extern "C"
