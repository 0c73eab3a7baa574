import Foundation

/// The learning rates fastai's `lr_find` suggests from a sweep's smoothed losses, and the rules behind them.
public struct LearningRateSuggestions: Codable, Sendable, Equatable {
    /// fastai's default: a point a little past the middle of the longest run of falling loss.
    public var valley: Double
    /// Where the smoothed loss falls fastest against log(lr).
    public var steepest: Double
    /// A tenth of the rate at the lowest smoothed loss.
    public var minimumOverTen: Double

    /// Creates suggestions.
    public init(valley: Double, steepest: Double, minimumOverTen: Double) {
        self.valley = valley
        self.steepest = steepest
        self.minimumOverTen = minimumOverTen
    }

    /// The suggestions for a sweep, or a reason there are none. As fastai, the first `plannedIterations / 10` and
    /// the last 5 points are dropped and so is everything from the first NaN; "no suggestion" means fewer than 2
    /// points remain or the loss never falls below its first remaining value.
    public static func from(rates: [Double], smoothedLosses: [Double], plannedIterations: Int) -> Result<Self, NoSuggestion> {
        guard rates.count == smoothedLosses.count else {
            return .failure(NoSuggestion(reason: "\(rates.count) learning rates for \(smoothedLosses.count) losses"))
        }
        let start = plannedIterations / 10
        let end = smoothedLosses.count - 5
        guard end - start >= 2 else {
            return .failure(NoSuggestion(reason: "the sweep recorded \(smoothedLosses.count) losses, too few to suggest a rate (it needs more than \(start + 6); the loss diverged early or the sweep was too short)"))
        }
        var lrs = Array(rates[start..<end]), losses = Array(smoothedLosses[start..<end])
        if let nan = losses.firstIndex(where: \.isNaN) {
            lrs = Array(lrs[..<nan])
            losses = Array(losses[..<nan])
        }
        guard losses.count >= 2 else {
            return .failure(NoSuggestion(reason: "the loss became NaN after \(start + losses.count) points, too few to suggest a rate"))
        }
        guard losses.dropFirst().contains(where: { $0 < losses[0] }) else {
            return .failure(NoSuggestion(reason: "the smoothed loss never fell below its starting value \(losses[0]); no learning rate in \(lrs[0])…\(lrs[lrs.count - 1]) made progress"))
        }
        return .success(Self(valley: valley(rates: lrs, losses: losses), steepest: steepest(rates: lrs, losses: losses),
                             minimumOverTen: minimumOverTen(rates: lrs, losses: losses)))
    }

    /// fastai's `valley`: the longest decreasing subsequence of `losses` (O(n²) as fastai computes it), then the
    /// rate `⌊len/3⌋ + ⌊len/6⌋` points past its start. `rates` and `losses` have the same length (NaN when empty).
    public static func valley(rates: [Double], losses: [Double]) -> Double {
        let n = losses.count
        guard n >= 2 else { return rates.first ?? .nan }
        var lengths = [Int](repeating: 1, count: n)
        var maxStart = 0, maxEnd = 0
        for i in 1..<n {
            for j in 0..<i {
                if losses[i] < losses[j] && lengths[i] < lengths[j] + 1 { lengths[i] = lengths[j] + 1 }
                if lengths[maxEnd] < lengths[i] {
                    maxEnd = i
                    maxStart = maxEnd - lengths[maxEnd]
                }
            }
        }
        let sections = Double(maxEnd - maxStart) / 3
        return rates[maxStart + Int(sections) + Int(sections / 2)]
    }

    /// fastai's `steep`: the rate where (loss[i+1] - loss[i]) / (log lr[i+1] - log lr[i]) is most negative.
    public static func steepest(rates: [Double], losses: [Double]) -> Double {
        guard losses.count >= 2 else { return rates.first ?? .nan }
        let slopes: [Double] = (0..<(losses.count - 1)).map { i in
            let rise: Double = losses[i + 1] - losses[i]
            let run: Double = log(rates[i + 1]) - log(rates[i])
            return rise / run
        }
        let index = slopes.indices.min { slopes[$0] < slopes[$1] } ?? 0
        return rates[index]
    }

    /// fastai's `minimum`: the rate of the lowest loss, divided by 10.
    public static func minimumOverTen(rates: [Double], losses: [Double]) -> Double {
        let index = losses.indices.min { losses[$0] < losses[$1] } ?? 0
        return rates[index] / 10
    }

    /// Why a sweep gave no suggestion.
    public struct NoSuggestion: Error, Codable, Sendable, Equatable {
        /// In words, for the user.
        public var reason: String
    }
}
