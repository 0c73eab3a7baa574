/// Distinct line colors for series and parameter groups (the familiar "category 10" hues).
enum Palette {
    static let colors: [RGBAColor] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    ].map { RGBAColor(hex: $0) }

    /// The color of series `index`, cycling.
    static func color(_ index: Int) -> RGBAColor { colors[((index % colors.count) + colors.count) % colors.count] }

    /// The heatmap's empty-cell color.
    static let heatmapLow = RGBAColor(hex: 0xF7FBFF)
    /// The heatmap's full-cell color.
    static let heatmapHigh = RGBAColor(hex: 0x08306B)
}
