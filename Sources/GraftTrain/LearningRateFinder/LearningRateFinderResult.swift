/// What a learning-rate sweep measured and suggests.
public struct LearningRateFinderResult: Codable, Sendable, Equatable {
    /// The swept group whose rate the sweep reports; the other swept groups kept their ratio to it.
    public var referenceGroup: String
    /// Every group that trained during the sweep.
    public var groups: [String]
    /// The reference group's learning rate at each recorded batch.
    public var rates: [Double]
    /// The raw loss of each recorded batch.
    public var losses: [Double]
    /// The bias-corrected exponential moving average of `losses` (`LearningRateFinder.smoothed`).
    public var smoothedLosses: [Double]
    /// The suggestions, nil when the sweep cannot support one (see `noSuggestionReason`).
    public var suggestions: LearningRateSuggestions?
    /// Whether the sweep stopped early because the smoothed loss exceeded its limit or was not finite.
    public var diverged: Bool
    /// Why there is no suggestion, in words; nil when there is one.
    public var noSuggestionReason: String?

    /// Creates a result.
    public init(referenceGroup: String, groups: [String], rates: [Double], losses: [Double], smoothedLosses: [Double],
                suggestions: LearningRateSuggestions?, diverged: Bool, noSuggestionReason: String?) {
        self.referenceGroup = referenceGroup
        self.groups = groups
        self.rates = rates
        self.losses = losses
        self.smoothedLosses = smoothedLosses
        self.suggestions = suggestions
        self.diverged = diverged
        self.noSuggestionReason = noSuggestionReason
    }

    /// The rate to train with: the valley suggestion, or `fallback` when there is none.
    public func suggestedRate(fallback: Double) -> Double { suggestions?.valley ?? fallback }

    /// One line for a log: the suggestions (the valley is the one used), or the reason there are none and the
    /// default `fallback` that applies instead.
    public func summary(fallback: Double) -> String {
        guard let suggestions else {
            return "no learning-rate suggestion for \(referenceGroup): \(noSuggestionReason ?? "unknown reason"); the default \(fallback) applies"
        }
        return "learning-rate finder for \(referenceGroup): valley \(Self.format(suggestions.valley)) (used), steepest \(Self.format(suggestions.steepest)), minimum/10 \(Self.format(suggestions.minimumOverTen))\(diverged ? "; the loss diverged at \(Self.format(rates.last ?? 0))" : "")"
    }

    static func format(_ rate: Double) -> String { String(format: "%.3g", rate) }
}
