import Foundation

/// JSON has no NaN or infinity; Graft writes them as the strings `"nan"`, `"inf"` and `"-inf"`, so the numbers of a
/// run that diverged still save and read back.
private enum NonFiniteToken {
    static let positiveInfinity = "inf"
    static let negativeInfinity = "-inf"
    static let nan = "nan"
}

extension JSONEncoder.NonConformingFloatEncodingStrategy {
    /// NaN and ±infinity as the strings `"nan"`, `"inf"` and `"-inf"` (every Graft JSON file holding metrics).
    public static var nonFiniteAsStrings: Self {
        .convertToString(positiveInfinity: NonFiniteToken.positiveInfinity, negativeInfinity: NonFiniteToken.negativeInfinity,
                         nan: NonFiniteToken.nan)
    }
}

extension JSONDecoder.NonConformingFloatDecodingStrategy {
    /// Reads back what `JSONEncoder.NonConformingFloatEncodingStrategy.nonFiniteAsStrings` writes.
    public static var nonFiniteAsStrings: Self {
        .convertFromString(positiveInfinity: NonFiniteToken.positiveInfinity, negativeInfinity: NonFiniteToken.negativeInfinity,
                           nan: NonFiniteToken.nan)
    }
}
