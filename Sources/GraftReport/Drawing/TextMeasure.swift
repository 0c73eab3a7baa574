/// Text widths for layout. Plot text is monospace: each character takes one cell of `cellAdvance` units at size 1,
/// East Asian wide characters (CJK ideographs, kana, Hangul, fullwidth forms) two, as in a terminal. SVG viewers and
/// the PNG rasterizer (DejaVu Sans Mono, WenQuanYi Zen Hei Mono) both fit this grid.
enum TextMeasure {
    /// Width of one cell at size 1, in drawing units (0.6 em of the 10-unit font size).
    static let cellAdvance = 6.0

    /// The width `string` takes at `size`.
    static func width(_ string: String, size: Double = 1) -> Double {
        Double(cells(string)) * cellAdvance * size
    }

    /// The number of cells `string` occupies.
    static func cells(_ string: String) -> Int {
        string.reduce(0) { $0 + cells($1) }
    }

    /// Two cells for an East Asian wide character, one for any other.
    static func cells(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 1 }
        return wideRanges.contains { $0.contains(scalar.value) } ? 2 : 1
    }

    /// The wide and fullwidth blocks of Unicode's East Asian Width property.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
