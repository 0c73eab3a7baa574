// Shape operations, elementwise arithmetic, in-place updates and reductions.
#include "internal.hpp"
#include <vector>

using namespace ctorch;

namespace {

std::vector<at::Tensor> refs(const gt_tensor *ts, int n) {
  std::vector<at::Tensor> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(ref(ts[i]));
  return out;
}

at::Tensor binary(gt_binary_op op, const at::Tensor &a, const at::Tensor &b) {
  switch (op) {
    case GT_ADD: return at::add(a, b);
    case GT_SUB: return at::sub(a, b);
    case GT_MUL: return at::mul(a, b);
    case GT_DIV: return at::div(a, b);
    case GT_POW: return at::pow(a, b);
    case GT_MAXIMUM: return at::maximum(a, b);
    case GT_MINIMUM: return at::minimum(a, b);
    case GT_EQ: return at::eq(a, b);
    case GT_NE: return at::ne(a, b);
    case GT_LT: return at::lt(a, b);
    case GT_LE: return at::le(a, b);
    case GT_GT: return at::gt(a, b);
    case GT_GE: return at::ge(a, b);
  }
  throw std::invalid_argument("unknown binary op");
}

at::Tensor binary_scalar(gt_binary_op op, const at::Tensor &a, double s) {
  switch (op) {
    case GT_ADD: return at::add(a, s);
    case GT_SUB: return at::sub(a, s);
    case GT_MUL: return at::mul(a, s);
    case GT_DIV: return at::div(a, s);
    case GT_POW: return at::pow(a, s);
    case GT_MAXIMUM: return at::clamp_min(a, s);
    case GT_MINIMUM: return at::clamp_max(a, s);
    case GT_EQ: return at::eq(a, s);
    case GT_NE: return at::ne(a, s);
    case GT_LT: return at::lt(a, s);
    case GT_LE: return at::le(a, s);
    case GT_GT: return at::gt(a, s);
    case GT_GE: return at::ge(a, s);
  }
  throw std::invalid_argument("unknown binary op");
}

void binary_inplace(gt_binary_op op, at::Tensor a, const at::Tensor &b) {
  switch (op) {
    case GT_ADD: a.add_(b); return;
    case GT_SUB: a.sub_(b); return;
    case GT_MUL: a.mul_(b); return;
    case GT_DIV: a.div_(b); return;
    case GT_POW: a.pow_(b); return;
    case GT_MAXIMUM: a.copy_(at::maximum(a, b)); return;
    case GT_MINIMUM: a.copy_(at::minimum(a, b)); return;
    default: throw std::invalid_argument("comparison ops have no in-place form");
  }
}

// An integral tensor updated by a whole number keeps its type (e.g. BatchNorm's num_batches_tracked += 1).
at::Scalar scalar_for(const at::Tensor &t, double s) {
  if (at::isIntegralType(t.scalar_type(), true) && s == static_cast<double>(static_cast<int64_t>(s)))
    return at::Scalar(static_cast<int64_t>(s));
  return at::Scalar(s);
}

void binary_scalar_inplace(gt_binary_op op, at::Tensor a, double value) {
  at::Scalar s = scalar_for(a, value);
  switch (op) {
    case GT_ADD: a.add_(s); return;
    case GT_SUB: a.sub_(s); return;
    case GT_MUL: a.mul_(s); return;
    case GT_DIV: a.div_(s); return;
    case GT_POW: a.pow_(s); return;
    case GT_MAXIMUM: a.clamp_min_(s); return;
    case GT_MINIMUM: a.clamp_max_(s); return;
    default: throw std::invalid_argument("comparison ops have no in-place form");
  }
}

at::Tensor unary(gt_unary_op op, const at::Tensor &a) {
  switch (op) {
    case GT_NEG: return at::neg(a);
    case GT_EXP: return at::exp(a);
    case GT_LOG: return at::log(a);
    case GT_SQRT: return at::sqrt(a);
    case GT_RSQRT: return at::rsqrt(a);
    case GT_ABS: return at::abs(a);
    case GT_RELU: return at::relu(a);
    case GT_RELU6: return at::hardtanh(a, 0.0, 6.0);
    case GT_GELU: return at::gelu(a);
    case GT_SIGMOID: return at::sigmoid(a);
    case GT_TANH: return at::tanh(a);
    case GT_SIGN: return at::sign(a);
    case GT_SQUARE: return at::square(a);
    case GT_RECIPROCAL: return at::reciprocal(a);
    case GT_FLOOR: return at::floor(a);
    case GT_SILU: return at::silu(a);
    case GT_HARDSWISH: return at::hardswish(a);
    case GT_HARDSIGMOID: return at::hardsigmoid(a);
  }
  throw std::invalid_argument("unknown unary op");
}

}  // namespace

extern "C" {

int gt_reshape(gt_tensor t, const int64_t *shape, int ndim, gt_tensor *out) { GT_RETURN(out, ref(t).reshape(dims(shape, ndim))) }
int gt_view(gt_tensor t, const int64_t *shape, int ndim, gt_tensor *out) { GT_RETURN(out, ref(t).view(dims(shape, ndim))) }
int gt_permute(gt_tensor t, const int64_t *d, int ndim, gt_tensor *out) { GT_RETURN(out, ref(t).permute(dims(d, ndim))) }
int gt_transpose(gt_tensor t, int64_t d0, int64_t d1, gt_tensor *out) { GT_RETURN(out, ref(t).transpose(d0, d1)) }
int gt_expand(gt_tensor t, const int64_t *shape, int ndim, gt_tensor *out) { GT_RETURN(out, ref(t).expand(dims(shape, ndim))) }
int gt_cat(const gt_tensor *ts, int n, int64_t dim, gt_tensor *out) { GT_RETURN(out, at::cat(refs(ts, n), dim)) }
int gt_stack(const gt_tensor *ts, int n, int64_t dim, gt_tensor *out) { GT_RETURN(out, at::stack(refs(ts, n), dim)) }
int gt_slice(gt_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, gt_tensor *out) {
  GT_RETURN(out, ref(t).slice(dim, start, end, step))
}
int gt_select(gt_tensor t, int64_t dim, int64_t index, gt_tensor *out) { GT_RETURN(out, ref(t).select(dim, index)) }
int gt_index_select(gt_tensor t, int64_t dim, gt_tensor index, gt_tensor *out) {
  GT_RETURN(out, ref(t).index_select(dim, ref(index)))
}
int gt_index_copy(gt_tensor t, int64_t dim, gt_tensor index, gt_tensor source, gt_tensor *out) {
  GT_RETURN(out, ref(t).index_copy(dim, ref(index), ref(source)))
}
int gt_flatten(gt_tensor t, int64_t start, int64_t end, gt_tensor *out) { GT_RETURN(out, ref(t).flatten(start, end)) }
int gt_squeeze(gt_tensor t, int64_t dim, gt_tensor *out) { GT_RETURN(out, ref(t).squeeze(dim)) }
int gt_unsqueeze(gt_tensor t, int64_t dim, gt_tensor *out) { GT_RETURN(out, ref(t).unsqueeze(dim)) }
int gt_roll(gt_tensor t, const int64_t *shifts, const int64_t *roll_dims, int n, gt_tensor *out) {
  GT_RETURN(out, at::roll(ref(t), dims(shifts, n), dims(roll_dims, n)))
}

int gt_binary(gt_binary_op op, gt_tensor a, gt_tensor b, gt_tensor *out) { GT_RETURN(out, binary(op, ref(a), ref(b))) }
int gt_binary_scalar(gt_binary_op op, gt_tensor a, double s, gt_tensor *out) { GT_RETURN(out, binary_scalar(op, ref(a), s)) }
int gt_unary(gt_unary_op op, gt_tensor a, gt_tensor *out) { GT_RETURN(out, unary(op, ref(a))) }
int gt_clamp(gt_tensor a, double low, double high, gt_tensor *out) { GT_RETURN(out, at::clamp(ref(a), low, high)) }
int gt_clamp_(gt_tensor a, double low, double high) { GT_GUARD(ref(a).clamp_(low, high)) }
int gt_where(gt_tensor c, gt_tensor a, gt_tensor b, gt_tensor *out) { GT_RETURN(out, at::where(ref(c), ref(a), ref(b))) }
int gt_matmul(gt_tensor a, gt_tensor b, gt_tensor *out) { GT_RETURN(out, at::matmul(ref(a), ref(b))) }

int gt_binary_(gt_binary_op op, gt_tensor a, gt_tensor b) { GT_GUARD(binary_inplace(op, ref(a), ref(b))) }
int gt_binary_scalar_(gt_binary_op op, gt_tensor a, double s) { GT_GUARD(binary_scalar_inplace(op, ref(a), s)) }
int gt_add_scaled_(gt_tensor a, gt_tensor b, double alpha) { GT_GUARD(ref(a).add_(ref(b), alpha)) }
int gt_addcmul_(gt_tensor a, gt_tensor b, gt_tensor c, double value) { GT_GUARD(ref(a).addcmul_(ref(b), ref(c), value)) }
int gt_addcdiv_(gt_tensor a, gt_tensor b, gt_tensor c, double value) { GT_GUARD(ref(a).addcdiv_(ref(b), ref(c), value)) }
int gt_copy_(gt_tensor dst, gt_tensor src) { GT_GUARD(ref(dst).copy_(ref(src))) }
int gt_fill_(gt_tensor t, double value) { GT_GUARD(ref(t).fill_(value)) }

int gt_sum(gt_tensor t, const int64_t *d, int n, int keepdim, gt_tensor *out) {
  GT_RETURN(out, n == 0 ? ref(t).sum() : ref(t).sum(dims(d, n), keepdim != 0))
}
int gt_mean(gt_tensor t, const int64_t *d, int n, int keepdim, gt_tensor *out) {
  GT_RETURN(out, n == 0 ? ref(t).mean() : ref(t).mean(dims(d, n), keepdim != 0))
}
int gt_var(gt_tensor t, const int64_t *d, int n, int unbiased, int keepdim, gt_tensor *out) {
  GT_RETURN(out, n == 0 ? ref(t).var(unbiased != 0) : ref(t).var(dims(d, n), unbiased != 0, keepdim != 0))
}
int gt_max_dim(gt_tensor t, int64_t dim, int keepdim, gt_tensor *values, gt_tensor *indices) {
  GT_GUARD({
    auto r = ref(t).max(dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
int gt_min_dim(gt_tensor t, int64_t dim, int keepdim, gt_tensor *values, gt_tensor *indices) {
  GT_GUARD({
    auto r = ref(t).min(dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
int gt_max_all(gt_tensor t, gt_tensor *out) { GT_RETURN(out, ref(t).max()) }
int gt_min_all(gt_tensor t, gt_tensor *out) { GT_RETURN(out, ref(t).min()) }
int gt_argmax(gt_tensor t, int64_t dim, int keepdim, gt_tensor *out) { GT_RETURN(out, ref(t).argmax(dim, keepdim != 0)) }
int gt_topk(gt_tensor t, int64_t k, int64_t dim, int largest, gt_tensor *values, gt_tensor *indices) {
  GT_GUARD({
    auto r = ref(t).topk(k, dim, largest != 0, true);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
int gt_norm(gt_tensor t, gt_tensor *out) { GT_RETURN(out, ref(t).norm()) }
int gt_allclose(gt_tensor a, gt_tensor b, double rtol, double atol, int *out) {
  GT_GUARD(*out = at::allclose(readable(a), readable(b), rtol, atol) ? 1 : 0)
}
int gt_isfinite_all(gt_tensor t, int *out) { GT_GUARD(*out = at::isfinite(readable(t)).all().item<bool>() ? 1 : 0) }

}  // extern "C"
