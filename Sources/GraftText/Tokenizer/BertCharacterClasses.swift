/// The character classes of `tokenizers`' BERT normalizer and pre-tokenizer. `tokenizers` 0.13 takes general
/// categories from the `unicode_categories` crate, whose tables are Unicode 8.0: characters assigned later are neither
/// punctuation, nor control/format characters, nor nonspacing marks there, so the same holds here. Its lowercasing
/// (Rust's standard library) knows Unicode 15.
enum BertCharacterClasses {
    /// How the pre-tokenizer treats an ASCII character.
    enum ASCIIClass: UInt8 {
        case word, whitespace, punctuation
    }

    /// Pre-tokenizer classes of the 128 ASCII characters: Rust's `is_whitespace` (9–13, 32) and
    /// `is_ascii_punctuation` (33–47, 58–64, 91–96, 123–126).
    static let asciiClasses: [ASCIIClass] = (0..<128).map { (code: Int) -> ASCIIClass in
        switch code {
        case 9...13, 32: return .whitespace
        case 33...47, 58...64, 91...96, 123...126: return .punctuation
        default: return .word
        }
    }

    /// ASCII characters clean-text drops: controls other than tab, newline and carriage return (NUL included).
    static func isDroppedASCIIControl(_ code: UInt32) -> Bool {
        (code < 32 && code != 9 && code != 10 && code != 13) || code == 127
    }

    /// Whether `scalar` was assigned by Unicode 8.0, the version of `tokenizers`' category tables.
    @inline(__always)
    private static func isInCategoryTables(_ properties: Unicode.Scalar.Properties) -> Bool {
        guard let age = properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// A non-ASCII character clean-text drops: U+FFFD or a control, format, private-use character (category C other
    /// than unassigned).
    static func isDroppedByCleaning(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value == 0xFFFD { return true }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return isInCategoryTables(properties)
        default: return false
        }
    }

    /// A non-ASCII punctuation character (category P), which the pre-tokenizer isolates.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return isInCategoryTables(properties)
        default: return false
        }
    }

    /// A nonspacing mark (category Mn), which accent stripping drops.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.generalCategory == .nonspacingMark && isInCategoryTables(properties)
    }

    /// Whether `char::to_lowercase` of the Rust that built `tokenizers` 0.13.3 (Unicode 15) lowercases `scalar`: Swift's
    /// newer tables also lowercase letters of Unicode 16 (U+A7CB → U+0264), which it leaves alone.
    static func changesWhenLowercased(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        guard properties.changesWhenLowercased, let age = properties.age else { return false }
        return age.major <= 15
    }

    /// Rust's `char::is_whitespace` (the White_Space property), which the pre-tokenizer splits on.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

    /// A CJK ideograph as `tokenizers` defines it (BERT's `_is_chinese_char` ranges, with `tokenizers`' 0x2B920 start
    /// of the Extension E/F range).
    static func isChinese(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
