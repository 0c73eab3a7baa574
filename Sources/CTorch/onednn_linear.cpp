// x·wᵀ + b on oneDNN's inner product, differentiable, for `gt_linear_onednn`.
#include <torch/csrc/autograd/custom_function.h>
#include "internal.hpp"

using namespace ctorch;

namespace {

// A custom autograd function rather than the composition to_mkldnn → mkldnn_linear → to_dense: the composition's
// autograd saves the input twice (dense for to_mkldnn's backward, in oneDNN's layout for mkldnn_linear's) and keeps the
// output in oneDNN's layout alive for to_dense's backward — for a transformer, a third more training memory than
// `linear`. This saves what `linear` saves (the dense input and the weight) and converts to oneDNN's layout per call.
struct OneDNNLinear : torch::autograd::Function<OneDNNLinear> {
  static at::Tensor forward(torch::autograd::AutogradContext *context, const at::Tensor &input, const at::Tensor &weight,
                            const c10::optional<at::Tensor> &bias) {
    context->save_for_backward({input, weight});
    context->saved_data["has_bias"] = bias.has_value();
    return at::mkldnn_linear(input.contiguous().to_mkldnn(), weight.contiguous(), bias).to_dense();
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext *context,
                                                 torch::autograd::variable_list gradients) {
    const auto saved = context->get_saved_variables();
    const auto &input = saved[0], &weight = saved[1];
    const std::array<bool, 3> wanted{context->needs_input_grad(0), context->needs_input_grad(1),
                                     context->saved_data["has_bias"].toBool() && context->needs_input_grad(2)};
    // The input's values are read only for the weight and bias gradients; the input gradient needs its shape.
    const auto layoutInput = wanted[1] || wanted[2] ? input.contiguous().to_mkldnn() : input;
    auto [gradInput, gradWeight, gradBias] =
        at::mkldnn_linear_backward(layoutInput, gradients[0].contiguous().to_mkldnn(), weight.contiguous(), wanted);
    return {wanted[0] ? gradInput.to_dense() : at::Tensor(), wanted[1] ? gradWeight : at::Tensor(),
            wanted[2] ? gradBias : at::Tensor()};
  }
};

}  // namespace

extern "C" {

int gt_linear_onednn(gt_tensor x, gt_tensor w, gt_tensor b, gt_tensor *out) {
  GT_RETURN(out, OneDNNLinear::apply(ref(x), ref(w), optional_ref(b)))
}

}  // extern "C"
