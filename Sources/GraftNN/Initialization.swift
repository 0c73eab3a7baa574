import Foundation
import GraftTensor

/// PyTorch's default initialisers, drawing from the global generator seeded by `Engine.manualSeed`.
public enum Initialization {
    /// PyTorch's default for Conv and Linear weights, `kaiming_uniform_(a=√5)`: uniform in ±1/√fan_in.
    public static func defaultWeight(_ shape: [Int], fanIn: Int) throws -> Tensor {
        try uniform(shape, bound: 1 / Double(fanIn).squareRoot())
    }

    /// PyTorch's default for Conv and Linear biases: uniform in ±1/√fan_in.
    public static func defaultBias(_ count: Int, fanIn: Int) throws -> Tensor {
        try uniform([count], bound: fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0)
    }

    /// A trainable tensor with values uniform in ±bound.
    public static func uniform(_ shape: [Int], bound: Double) throws -> Tensor {
        let t = try Tensor.empty(shape)
        try t.uniform_(-bound, bound)
        return try t.requiresGrad_()
    }

    /// `xavier_uniform_` for a [fanOut, fanIn] weight: uniform in ±√(6 / (fanIn + fanOut)).
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int) throws -> Tensor {
        try uniform(shape, bound: (6 / Double(fanIn + fanOut)).squareRoot())
    }

    /// `trunc_normal_(std=std)`: normal with standard deviation `std`, cut off at ±2 (absolute, as PyTorch's defaults).
    public static func truncatedNormal(_ shape: [Int], std: Double) throws -> Tensor {
        let t = try Tensor.randn(shape) * std
        try t.clamp_(-2, 2)
        return try t.requiresGrad_()
    }

    /// A trainable tensor filled with `value`.
    public static func constant(_ shape: [Int], _ value: Double) throws -> Tensor {
        try Tensor.full(shape, value: value).requiresGrad_()
    }
}

/// Formats numbers the way Python's `repr` does in PyTorch printouts (`1e-05`, `0.001`, `0.1`).
func pythonRepr(_ value: Double) -> String {
    if value != 0 && Swift.abs(value) < 1e-4 {
        let parts = String(format: "%e", value).split(separator: "e")
        var mantissa = String(parts[0])
        while mantissa.contains(".") && (mantissa.hasSuffix("0") || mantissa.hasSuffix(".")) { mantissa.removeLast() }
        let exponent = Int(parts[1]) ?? 0
        return "\(mantissa)e-\(String(format: "%02d", -exponent))"
    }
    var text = String(value)
    if text.hasSuffix(".0") { text.removeLast(2); text += ".0" }
    return text
}

/// `(a, b)` as Python prints a pair.
func pair(_ p: (Int, Int)) -> String { "(\(p.0), \(p.1))" }
