/// Writes a `Drawing` as a standalone SVG document (monospace text on the `TextMeasure` cell grid; viewers pick the
/// fonts for each script).
public enum SVGRenderer {
    /// The SVG markup; `title` becomes the accessible `<title>`.
    public static func render(_ drawing: Drawing, title: String) -> String {
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(drawing.width))\" "
            + "height=\"\(number(drawing.height))\" viewBox=\"0 0 \(number(drawing.width)) \(number(drawing.height))\" "
            + "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\">\n"
        svg += "<title>\(escapeXML(title))</title>\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"\(drawing.background.cssHex)\"/>\n"
        for element in drawing.elements { svg += markup(for: element) + "\n" }
        return svg + "</svg>\n"
    }

    private static func markup(for element: DrawingElement) -> String {
        switch element {
        case .rectangle(let origin, let width, let height, let fill, let stroke):
            let outline = stroke.map { " stroke=\"\($0.cssHex)\" stroke-width=\"1\"" } ?? ""
            return "<rect x=\"\(number(origin.x))\" y=\"\(number(origin.y))\" width=\"\(number(width))\" "
                + "height=\"\(number(height))\" fill=\"\(fill.cssHex)\"\(opacity(fill, "fill"))\(outline)/>"
        case .polyline(let points, let color, let lineWidth, let dashed):
            let coordinates = points.filter { $0.x.isFinite && $0.y.isFinite }
                .map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
            let dash = dashed ? " stroke-dasharray=\"\(number(4 * lineWidth)) \(number(3 * lineWidth))\"" : ""
            return "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(color.cssHex)\""
                + "\(opacity(color, "stroke")) stroke-width=\"\(number(lineWidth))\" stroke-linejoin=\"round\"\(dash)/>"
        case .text(let string, let position, let size, let color, let anchor, let vertical):
            let anchorName: String
            switch anchor {
            case .start: anchorName = "start"
            case .middle: anchorName = "middle"
            case .end: anchorName = "end"
            }
            let rotation = vertical ? " transform=\"rotate(-90 \(number(position.x)) \(number(position.y)))\"" : ""
            // Monospace glyphs advance about 0.6 em, so 10 units per size step matches the 6-unit cell.
            return "<text x=\"\(number(position.x))\" y=\"\(number(position.y))\" font-size=\"\(number(10 * size))\" "
                + "fill=\"\(color.cssHex)\" text-anchor=\"\(anchorName)\" dominant-baseline=\"central\"\(rotation)>"
                + "\(escapeXML(string))</text>"
        }
    }

    private static func opacity(_ color: RGBAColor, _ attribute: String) -> String {
        color.alpha == 255 ? "" : " \(attribute)-opacity=\"\(number(Double(color.alpha) / 255))\""
    }

    /// A short decimal for coordinates (two decimals at most, no trailing zeros).
    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (min(max(value, -1e9), 1e9) * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : "\(rounded)"
    }
}

/// Escapes the five XML special characters and drops control characters XML forbids.
func escapeXML(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
        default:
            if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                escaped.unicodeScalars.append(scalar)
            }
        }
    }
    return escaped
}
