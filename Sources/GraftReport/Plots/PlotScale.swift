import Foundation

/// Maps data values along one axis to 0...1 and chooses round tick values and their labels.
struct PlotScale: Equatable {
    /// Linear or base-10 logarithmic spacing.
    enum Kind: Equatable { case linear, logarithmic }

    let kind: Kind
    let lower: Double
    let upper: Double
    let ticks: [Double]
    private let decimals: Int

    /// A scale covering the finite `values` (positive ones for a log scale), widened to round tick values.
    /// `integerTicks` keeps ticks on whole numbers (epochs).
    init(covering values: [Double], kind requested: Kind, integerTicks: Bool = false) {
        let positives = values.filter { $0.isFinite && $0 > 0 }
        let finite = values.filter(\.isFinite)
        if requested == .logarithmic, !positives.isEmpty, positives.count == finite.count {
            kind = .logarithmic
            let low = floor(log10(positives.min() ?? 1))
            let high = ceil(log10(positives.max() ?? 1))
            let top = high > low ? high : low + 1
            lower = pow(10, low)
            upper = pow(10, top)
            let every = max(1, Int(((top - low) / 6).rounded(.up)))
            ticks = stride(from: Int(low), through: Int(top), by: every).map { pow(10, Double($0)) }
            decimals = 0
            return
        }
        kind = .linear
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high - low < 1e-12 * max(1, abs(high)) {
            let pad = integerTicks ? 1 : max(abs(high) * 0.1, 1e-3)
            low -= pad
            high += pad
        }
        var step = Self.niceStep((high - low) / 5)
        if integerTicks { step = max(1, step.rounded(.up)) }
        let first = floor(low / step) * step
        let last = ceil(high / step) * step
        let steps = ((last - first) / step).rounded()
        let count = steps.isFinite ? Int(min(max(steps, 0), 20)) : 0
        lower = first
        upper = last
        ticks = (0...count).map { first + Double($0) * step }
        decimals = integerTicks ? 0 : max(0, Int(ceil(-log10(step) - 1e-9)) + (Self.isHalfStep(step) ? 1 : 0))
    }

    /// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
    private static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let mantissa = raw / magnitude
        let nice: Double = mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 2.5 ? 2.5 : mantissa <= 5 ? 5 : 10
        return nice * magnitude
    }

    private static func isHalfStep(_ step: Double) -> Bool {
        let mantissa = step / pow(10, floor(log10(step)))
        return abs(mantissa - 2.5) < 1e-9
    }

    /// The position of `value` between the axis ends (0 = lower, 1 = upper); nil for values a log axis cannot show.
    func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch kind {
        case .linear:
            return (value - lower) / (upper - lower)
        case .logarithmic:
            guard value > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// The tick label text for `value`.
    func label(_ value: Double) -> String {
        switch kind {
        case .logarithmic:
            let exponent = Int(log10(value).rounded())
            return exponent == 0 ? "1" : exponent == 1 ? "10" : "1e\(exponent)"
        case .linear:
            if max(abs(lower), abs(upper)) >= 1e6 { return String(format: "%.3g", value) }
            return String(format: "%.\(min(decimals, 10))f", abs(value) < 1e-12 ? 0 : value)
        }
    }
}
