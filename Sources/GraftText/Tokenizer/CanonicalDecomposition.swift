import Foundation

/// Unicode canonical decomposition (NFD) of single characters plus canonical reordering, what accent stripping
/// needs, without building Strings for ASCII text.
enum CanonicalDecomposition {
    /// Code point ranges holding every character with a canonical decomposition except Hangul syllables (which
    /// decompose arithmetically), from the Unicode Character Database.
    private static let decomposableRanges: [ClosedRange<UInt32>] = [
        0x00C0...0x0233, 0x0340...0x04F9, 0x0622...0x06D3, 0x0929...0x0DDE, 0x0F43...0x1026, 0x1B06...0x1B43,
        0x1E00...0x2001, 0x2126...0x232A, 0x2ADC...0x2ADC, 0x304C...0x30FE, 0xF900...0xFB4E, 0x1109A...0x1112F,
        0x1134B...0x1134C, 0x114BB...0x115BB, 0x11938...0x11938, 0x1D15E...0x1D1C0, 0x2F800...0x2FA1D,
    ]

    /// Full canonical decompositions of the characters that have one, computed once from Foundation's NFD; only
    /// characters assigned before Unicode 13.0, as `tokenizers`' normalization tables have no later ones (U+11938).
    private static let table: [UInt32: [UInt32]] = {
        var table: [UInt32: [UInt32]] = [:]
        for range in decomposableRanges {
            for value in range {
                guard let scalar = Unicode.Scalar(value), let age = scalar.properties.age, age.major < 13 else { continue }
                let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
                if decomposed != [value] { table[value] = decomposed }
            }
        }
        return table
    }()

    private static let hangulBase: UInt32 = 0xAC00, hangulCount: UInt32 = 11172
    private static let leadingBase: UInt32 = 0x1100, vowelBase: UInt32 = 0x1161, trailingBase: UInt32 = 0x11A7
    private static let vowelCount: UInt32 = 21, trailingCount: UInt32 = 28

    /// Appends the canonical decomposition of `value` (itself when it has none) to `output`.
    static func appendDecomposition(of value: UInt32, to output: inout [UInt32]) {
        if value &- hangulBase < hangulCount {
            let index = value - hangulBase
            output.append(leadingBase + index / (vowelCount * trailingCount))
            output.append(vowelBase + (index % (vowelCount * trailingCount)) / trailingCount)
            if index % trailingCount != 0 { output.append(trailingBase + index % trailingCount) }
        } else if let decomposed = table[value] {
            output.append(contentsOf: decomposed)
        } else {
            output.append(value)
        }
    }

    /// Puts each run of combining characters (canonical combining class > 0) in `scalars` in stable order of
    /// combining class, completing NFD.
    static func reorder(_ scalars: inout [UInt32]) {
        var index = 0
        while index < scalars.count {
            guard combiningClass(scalars[index]) != 0 else { index += 1; continue }
            var end = index + 1
            while end < scalars.count, combiningClass(scalars[end]) != 0 { end += 1 }
            if end - index > 1 {
                // Insertion sort: runs are short and the order must be stable.
                for current in (index + 1)..<end {
                    let value = scalars[current], key = combiningClass(value)
                    var slot = current
                    while slot > index, combiningClass(scalars[slot - 1]) > key {
                        scalars[slot] = scalars[slot - 1]
                        slot -= 1
                    }
                    scalars[slot] = value
                }
            }
            index = end
        }
    }

    /// The canonical combining class of a code point (0 for ASCII and invalid values).
    @inline(__always)
    static func combiningClass(_ value: UInt32) -> UInt8 {
        guard value >= 0x300, let scalar = Unicode.Scalar(value) else { return 0 }
        return scalar.properties.canonicalCombiningClass.rawValue
    }
}
