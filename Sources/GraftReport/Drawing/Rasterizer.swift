import Foundation

/// Paints a `Drawing` into pixels: rectangles, thick (optionally dashed) lines, and text through `FontStack`.
public enum Rasterizer {
    /// Renders `drawing` with `pixelsPerUnit` pixels per drawing unit (2 gives sharp text on high-density screens).
    /// Throws ``GraftReportError/invalidImageSize(width:height:)`` for an image outside `RGBAImage.sideLimits`, and
    /// ``GraftReportError/fontMissing(path:package:)`` when the text needs a font that is not installed.
    public static func render(_ drawing: Drawing, pixelsPerUnit: Int = 2) throws -> RGBAImage {
        let scale = Double(max(1, min(pixelsPerUnit, 8)))
        let pixelWidth = drawing.width * scale
        let pixelHeight = drawing.height * scale
        let limits = Double(RGBAImage.sideLimits.lowerBound)...Double(RGBAImage.sideLimits.upperBound)
        guard limits.contains(pixelWidth.rounded()), limits.contains(pixelHeight.rounded()) else {
            let clamp = { (value: Double) in value.isFinite ? Int(min(max(value, -1e9), 1e9)) : 0 }
            throw GraftReportError.invalidImageSize(width: clamp(pixelWidth), height: clamp(pixelHeight))
        }
        let width = Int(pixelWidth.rounded())
        let height = Int(pixelHeight.rounded())
        var image = try RGBAImage(width: width, height: height, fill: drawing.background)
        var fonts: FontStack?
        for element in drawing.elements {
            switch element {
            case .rectangle(let origin, let rectWidth, let rectHeight, let fill, let stroke):
                let x0 = origin.x * scale
                let y0 = origin.y * scale
                let x1 = x0 + rectWidth * scale
                let y1 = y0 + rectHeight * scale
                image.fill(x0: x0, y0: y0, x1: x1, y1: y1, fill)
                if let stroke {
                    let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)].map { PlotPoint(x: $0.0, y: $0.1) }
                    strokePolyline(corners, width: scale, color: stroke, dashed: false, into: &image)
                }
            case .polyline(let points, let color, let lineWidth, let dashed):
                let scaled = points.map { PlotPoint(x: $0.x * scale, y: $0.y * scale) }
                strokePolyline(scaled, width: max(1, lineWidth * scale), color: color, dashed: dashed, into: &image)
            case .text(let string, let position, let size, let color, let anchor, let vertical):
                let stack = try fonts ?? FontStack()
                fonts = stack
                try drawText(
                    string, at: PlotPoint(x: position.x * scale, y: position.y * scale), scale: size * scale,
                    color: color, anchor: anchor, vertical: vertical, fonts: stack, into: &image)
            }
        }
        return image
    }

    /// Stamps a square brush of side `width` along every segment; dashes are 4 widths on, 3 off along the path.
    private static func strokePolyline(
        _ points: [PlotPoint], width: Double, color: RGBAColor, dashed: Bool, into image: inout RGBAImage
    ) {
        let half = width / 2
        var travelled = 0.0
        for (start, end) in zip(points, points.dropFirst()) {
            guard start.x.isFinite, start.y.isFinite, end.x.isFinite, end.y.isFinite else { continue }
            let dx = end.x - start.x
            let dy = end.y - start.y
            let length = (dx * dx + dy * dy).squareRoot()
            let samples = max(1, Int((length * 2).rounded(.up)))
            for index in 0...samples {
                let t = Double(index) / Double(samples)
                let distance = travelled + t * length
                if dashed && distance.truncatingRemainder(dividingBy: 7 * width) >= 4 * width { continue }
                let x = start.x + dx * t
                let y = start.y + dy * t
                // A one-pixel brush at a pixel boundary paints the pixel to its lower right.
                image.fill(x0: x - half + 0.01, y0: y - half + 0.01, x1: x + half + 0.01, y1: y + half + 0.01, color)
            }
            travelled += length
        }
    }

    /// Draws text centred vertically on `position`: glyphs antialiased by FreeType and placed on the monospace
    /// cell grid of `TextMeasure` (at `scale` pixels per unit of size 1), so the layout's widths hold exactly.
    private static func drawText(
        _ string: String, at position: PlotPoint, scale: Double, color: RGBAColor, anchor: TextAnchor, vertical: Bool,
        fonts: FontStack, into image: inout RGBAImage
    ) throws {
        guard scale.isFinite, scale > 0, position.x.isFinite, position.y.isFinite else { return }
        let pixelSize = max(1, Int((10 * scale).rounded()))
        let cell = TextMeasure.cellAdvance * scale
        let textLength = TextMeasure.width(string) * scale
        let start: Double
        switch anchor {
        case .start: start = 0
        case .middle: start = -textLength / 2
        case .end: start = -textLength
        }
        // Centred like SVG's dominant-baseline="central": midway between ascender and descender.
        let metrics = try fonts.verticalMetrics(pixelSize: pixelSize)
        let baseline = Double(metrics.ascender + metrics.descender) / 2
        let originX = Int(position.x.rounded())
        let originY = Int(position.y.rounded())
        var cells = 0
        for character in string {
            let pen = Int((start + Double(cells) * cell).rounded())
            // A base letter and its combining marks share the pen position; precomposed forms are preferred.
            let scalars = character.unicodeScalars.count == 1
                ? character.unicodeScalars : String(character).precomposedStringWithCanonicalMapping.unicodeScalars
            for scalar in scalars {
                let glyph = try fonts.glyph(for: scalar, pixelSize: pixelSize)
                // Along = distance in reading direction, across = distance down the glyph, from `position`.
                let along = pen + glyph.left
                let across = Int(baseline.rounded()) - glyph.top
                for row in 0..<glyph.rows {
                    for column in 0..<glyph.width {
                        let coverage = Int(glyph.coverage[row * glyph.width + column])
                        guard coverage > 0 else { continue }
                        let x = vertical ? originX + across + row : originX + along + column
                        let y = vertical ? originY - along - column - 1 : originY + across + row
                        let alpha = UInt8((coverage * Int(color.alpha) + 127) / 255)
                        image.blend(x: x, y: y, RGBAColor(red: color.red, green: color.green, blue: color.blue, alpha: alpha))
                    }
                }
            }
            cells += TextMeasure.cells(character)
        }
    }
}
