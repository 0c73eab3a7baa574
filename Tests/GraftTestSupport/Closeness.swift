/// Elementwise tolerance checks for parity tests. NaN and ±Inf on either side always fail: a plain
/// `difference > tolerance` test (or `max(worst, difference)`) lets NaN through, since every comparison with NaN is false.
public struct Closeness: Sendable {
    /// Absolute tolerance.
    public let atol: Double
    /// Relative tolerance, as a fraction of |expected|.
    public let rtol: Double

    /// Values pass when both are finite and |actual − expected| ≤ atol + rtol·|expected|.
    public init(atol: Double, rtol: Double = 0) {
        self.atol = atol
        self.rtol = rtol
    }

    /// Why a comparison failed, as a verdict a test can check or report.
    public struct Mismatch: Equatable, Sendable, CustomStringConvertible {
        /// The failing element (the first non-finite one, else the furthest outside the tolerance); nil when the
        /// counts differ.
        public let index: Int?
        /// What went wrong, for a failure message.
        public let description: String
    }

    /// nil when the counts agree and every element passes; otherwise what failed.
    public func mismatch<A: BinaryFloatingPoint, E: BinaryFloatingPoint>(_ actual: [A], _ expected: [E]) -> Mismatch? {
        guard actual.count == expected.count else {
            return Mismatch(index: nil, description: "\(actual.count) values, expected \(expected.count)")
        }
        var worst: (excess: Double, index: Int)?
        for (index, (a, e)) in zip(actual.lazy.map(Double.init), expected.lazy.map(Double.init)).enumerated() {
            guard a.isFinite, e.isFinite else {
                return Mismatch(index: index, description: "element \(index) is \(a), expected \(e): not finite")
            }
            let excess = abs(a - e) - (atol + rtol * abs(e))
            if excess > (worst?.excess ?? 0) { worst = (excess, index) }
        }
        return worst.map { excess, index in
            let (a, e) = (Double(actual[index]), Double(expected[index]))
            return Mismatch(index: index, description: "element \(index) is \(a), expected \(e): off by \(abs(a - e)), "
                                + "\(excess) beyond the tolerance")
        }
    }
}
