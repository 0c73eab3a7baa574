import Foundation
import GraftData

/// Draws from Beta(α, β) with a `SeededRandom` (numpy's `np.random.beta` gives the same distribution, not the same
/// numbers): X / (X + Y) for X ~ Gamma(α), Y ~ Gamma(β), each by Marsaglia and Tsang's method. The gammas are kept as
/// logarithms so that small shapes (α ≪ 1, where a draw can underflow to 0) still give a value in [0, 1].
public struct BetaDistribution: Sendable {
    /// The first shape parameter.
    public let alpha: Double
    /// The second shape parameter.
    public let beta: Double

    /// Beta(alpha, beta); both must be positive.
    public init(alpha: Double, beta: Double) throws {
        guard alpha > 0, beta > 0, alpha.isFinite, beta.isFinite else {
            throw TrainingError.invalidConfiguration("a Beta distribution needs positive, finite shapes (got \(alpha), \(beta))")
        }
        self.alpha = alpha
        self.beta = beta
    }

    /// One draw in [0, 1].
    public func sample(using generator: inout SeededRandom) -> Double {
        let logX = Self.logGamma(shape: alpha, using: &generator), logY = Self.logGamma(shape: beta, using: &generator)
        let gap = logY - logX
        return gap.isNaN ? (logX >= logY ? 1 : 0) : 1 / (1 + exp(gap))  // NaN only when both underflowed to -inf
    }

    /// log of a Gamma(shape, 1) draw; shapes below 1 use Gamma(shape + 1) · U^(1/shape).
    static func logGamma(shape: Double, using generator: inout SeededRandom) -> Double {
        if shape < 1 {
            let u = 1 - generator.nextUnit()  // in (0, 1]
            return logGamma(shape: shape + 1, using: &generator) + log(u) / shape
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = standardNormal(using: &generator)
            let v = pow(1 + c * x, 3)
            guard v > 0 else { continue }
            let u = 1 - generator.nextUnit()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return log(d * v) }
        }
    }

    /// A standard normal draw (Box–Muller).
    static func standardNormal(using generator: inout SeededRandom) -> Double {
        let u1 = 1 - generator.nextUnit(), u2 = generator.nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
