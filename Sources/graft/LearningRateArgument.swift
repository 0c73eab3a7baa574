import ArgumentParser

/// A learning-rate flag or config value: a number, or `auto` to find it with the learning-rate finder.
enum LearningRateArgument: Codable, Equatable, ExpressibleByArgument {
    /// A fixed rate.
    case rate(Double)
    /// Found by `LearningRateFinder`.
    case auto

    init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let value = Double(argument) {
            self = .rate(value)
        } else {
            return nil
        }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            self = .rate(value)
        } else if let parsed = LearningRateArgument(argument: try container.decode(String.self)) {
            self = parsed
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number or 'auto'")
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .rate(let value): try container.encode(value)
        case .auto: try container.encode("auto")
        }
    }
}
