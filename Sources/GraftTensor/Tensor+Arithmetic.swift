import CTorch

extension Tensor {
    func binary(_ op: gt_binary_op, _ name: String, _ other: Tensor) throws -> Tensor {
        try Tensor.make(name, [self, other]) { gt_binary(op, handle, other.handle, $0) }
    }

    func binary(_ op: gt_binary_op, _ name: String, _ scalar: Double) throws -> Tensor {
        try Tensor.make(name, [self], ["scalar": .double(scalar)]) { gt_binary_scalar(op, handle, scalar, $0) }
    }

    func unary(_ op: gt_unary_op, _ name: String) throws -> Tensor {
        try Tensor.make(name, [self]) { gt_unary(op, handle, $0) }
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(GT_ADD, "add", b) }
    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(GT_SUB, "sub", b) }
    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(GT_MUL, "mul", b) }
    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(GT_DIV, "div", b) }
    /// Adds a scalar.
    public static func + (a: Tensor, s: Double) throws -> Tensor { try a.binary(GT_ADD, "add", s) }
    /// Subtracts a scalar.
    public static func - (a: Tensor, s: Double) throws -> Tensor { try a.binary(GT_SUB, "sub", s) }
    /// Multiplies by a scalar.
    public static func * (a: Tensor, s: Double) throws -> Tensor { try a.binary(GT_MUL, "mul", s) }
    /// Divides by a scalar.
    public static func / (a: Tensor, s: Double) throws -> Tensor { try a.binary(GT_DIV, "div", s) }
    /// Multiplies a scalar by a tensor.
    public static func * (s: Double, a: Tensor) throws -> Tensor { try a.binary(GT_MUL, "mul", s) }
    /// Negation.
    public static prefix func - (a: Tensor) throws -> Tensor { try a.unary(GT_NEG, "neg") }

    /// Matrix product with PyTorch's `matmul` broadcasting rules.
    public func matmul(_ other: Tensor) throws -> Tensor {
        try Tensor.make("matmul", [self, other]) { gt_matmul(handle, other.handle, $0) }
    }

    /// Elementwise power.
    public func pow(_ exponent: Double) throws -> Tensor { try binary(GT_POW, "pow", exponent) }
    /// Elementwise maximum of two tensors.
    public func maximum(_ other: Tensor) throws -> Tensor { try binary(GT_MAXIMUM, "maximum", other) }
    /// Elementwise minimum of two tensors.
    public func minimum(_ other: Tensor) throws -> Tensor { try binary(GT_MINIMUM, "minimum", other) }
    /// Elementwise equality (bool).
    public func eq(_ other: Tensor) throws -> Tensor { try binary(GT_EQ, "eq", other) }
    /// Elementwise inequality (bool).
    public func ne(_ other: Tensor) throws -> Tensor { try binary(GT_NE, "ne", other) }
    /// Elementwise `<` (bool).
    public func lt(_ other: Tensor) throws -> Tensor { try binary(GT_LT, "lt", other) }
    /// Elementwise `<=` (bool).
    public func le(_ other: Tensor) throws -> Tensor { try binary(GT_LE, "le", other) }
    /// Elementwise `>` (bool).
    public func gt(_ other: Tensor) throws -> Tensor { try binary(GT_GT, "gt", other) }
    /// Elementwise `>=` (bool).
    public func ge(_ other: Tensor) throws -> Tensor { try binary(GT_GE, "ge", other) }
    /// Elementwise equality with a scalar (bool).
    public func eq(_ scalar: Double) throws -> Tensor { try binary(GT_EQ, "eq", scalar) }
    /// Elementwise `>` with a scalar (bool).
    public func gt(_ scalar: Double) throws -> Tensor { try binary(GT_GT, "gt", scalar) }
    /// Elementwise `<` with a scalar (bool).
    public func lt(_ scalar: Double) throws -> Tensor { try binary(GT_LT, "lt", scalar) }

    /// e^x.
    public func exp() throws -> Tensor { try unary(GT_EXP, "exp") }
    /// Natural logarithm.
    public func log() throws -> Tensor { try unary(GT_LOG, "log") }
    /// Square root.
    public func sqrt() throws -> Tensor { try unary(GT_SQRT, "sqrt") }
    /// 1 / sqrt(x).
    public func rsqrt() throws -> Tensor { try unary(GT_RSQRT, "rsqrt") }
    /// Absolute value.
    public func abs() throws -> Tensor { try unary(GT_ABS, "abs") }
    /// x².
    public func square() throws -> Tensor { try unary(GT_SQUARE, "square") }
    /// 1 / x.
    public func reciprocal() throws -> Tensor { try unary(GT_RECIPROCAL, "reciprocal") }
    /// Sign (-1, 0, 1).
    public func sign() throws -> Tensor { try unary(GT_SIGN, "sign") }
    /// Rounds down.
    public func floor() throws -> Tensor { try unary(GT_FLOOR, "floor") }
    /// max(x, 0).
    public func relu() throws -> Tensor { try unary(GT_RELU, "relu") }
    /// min(max(x, 0), 6). A bfloat16 or float16 CPU input whose gradient is recorded is clamped in float32 (exactly the
    /// same values): libtorch 1.13 has no bfloat16 CPU kernel for this op's backward, so PyTorch 1.13 fails there.
    public func relu6() throws -> Tensor {
        if dtype == .bfloat16 || dtype == .float16, device == .cpu, isGradEnabled, requiresGrad {
            return try float().relu6()
        }
        return try unary(GT_RELU6, "relu6")
    }
    /// Gaussian error linear unit (exact erf form, like PyTorch's default).
    public func gelu() throws -> Tensor { try unary(GT_GELU, "gelu") }
    /// Logistic sigmoid.
    public func sigmoid() throws -> Tensor { try unary(GT_SIGMOID, "sigmoid") }
    /// Hyperbolic tangent.
    public func tanh() throws -> Tensor { try unary(GT_TANH, "tanh") }
    /// x · sigmoid(x).
    public func silu() throws -> Tensor { try unary(GT_SILU, "silu") }
    /// x · min(max(x + 3, 0), 6) / 6, MobileNetV3's piecewise-linear swish.
    public func hardswish() throws -> Tensor { try unary(GT_HARDSWISH, "hardswish") }
    /// min(max(x + 3, 0), 6) / 6, MobileNetV3's piecewise-linear sigmoid.
    public func hardsigmoid() throws -> Tensor { try unary(GT_HARDSIGMOID, "hardsigmoid") }

    /// Limits every element to [low, high].
    public func clamp(_ low: Double, _ high: Double) throws -> Tensor {
        try Tensor.make("clamp", [self], ["low": .double(low), "high": .double(high)]) { gt_clamp(handle, low, high, $0) }
    }

    /// Picks from `a` where `condition` is true, else from `b`.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        try make("where", [condition, a, b]) { gt_where(condition.handle, a.handle, b.handle, $0) }
    }
}

extension Tensor {
    /// self += other (broadcasting).
    public func add_(_ other: Tensor, alpha: Double = 1) throws {
        try Tensor.mutate("add_", [self, other], ["alpha": .double(alpha)]) { gt_add_scaled_(handle, other.handle, alpha) }
    }
    /// self -= other.
    public func sub_(_ other: Tensor) throws { try Tensor.mutate("sub_", [self, other]) { gt_binary_(GT_SUB, handle, other.handle) } }
    /// self *= other.
    public func mul_(_ other: Tensor) throws { try Tensor.mutate("mul_", [self, other]) { gt_binary_(GT_MUL, handle, other.handle) } }
    /// self /= other.
    public func div_(_ other: Tensor) throws { try Tensor.mutate("div_", [self, other]) { gt_binary_(GT_DIV, handle, other.handle) } }
    /// self += s.
    public func add_(_ s: Double) throws { try Tensor.mutate("add_", [self], ["scalar": .double(s)]) { gt_binary_scalar_(GT_ADD, handle, s) } }
    /// self *= s.
    public func mul_(_ s: Double) throws { try Tensor.mutate("mul_", [self], ["scalar": .double(s)]) { gt_binary_scalar_(GT_MUL, handle, s) } }
    /// self /= s.
    public func div_(_ s: Double) throws { try Tensor.mutate("div_", [self], ["scalar": .double(s)]) { gt_binary_scalar_(GT_DIV, handle, s) } }
    /// self = max(self, s).
    public func clampMin_(_ s: Double) throws { try Tensor.mutate("clampMin_", [self], ["scalar": .double(s)]) { gt_binary_scalar_(GT_MAXIMUM, handle, s) } }
    /// self = min(max(self, low), high).
    public func clamp_(_ low: Double, _ high: Double) throws { try Tensor.mutate("clamp_", [self], ["low": .double(low), "high": .double(high)]) { gt_clamp_(handle, low, high) } }
    /// self += value · a · b.
    public func addcmul_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
        try Tensor.mutate("addcmul_", [self, a, b], ["value": .double(value)]) { gt_addcmul_(handle, a.handle, b.handle, value) }
    }
    /// self += value · a / b.
    public func addcdiv_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
        try Tensor.mutate("addcdiv_", [self, a, b], ["value": .double(value)]) { gt_addcdiv_(handle, a.handle, b.handle, value) }
    }
}
