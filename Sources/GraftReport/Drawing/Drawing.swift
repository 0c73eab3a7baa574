/// An sRGB color with alpha.
public struct RGBAColor: Sendable, Equatable, Hashable {
    /// Red, green, blue and alpha channels, 0...255.
    public let red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8

    /// Creates a color from its channels.
    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// Creates an opaque color from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// `#rrggbb` for SVG and CSS.
    var cssHex: String {
        "#"
            + [red, green, blue].map { value in
                let digits = String(value, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
    }

    /// Linear interpolation towards `other` (`t` clamped to 0...1).
    func mixed(with other: RGBAColor, _ t: Double) -> RGBAColor {
        let t = min(max(t.isFinite ? t : 0, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGBAColor(
            red: channel(red, other.red), green: channel(green, other.green), blue: channel(blue, other.blue),
            alpha: channel(alpha, other.alpha))
    }

    /// Opaque white.
    public static let white = RGBAColor(hex: 0xFFFFFF)
    /// Opaque black.
    public static let black = RGBAColor(hex: 0x000000)
}

/// A point in drawing units (origin top-left, y down).
public struct PlotPoint: Sendable, Equatable {
    /// Horizontal position.
    public var x: Double
    /// Vertical position.
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// How a text's position relates to the text horizontally (vertically it is always centred on `y`).
public enum TextAnchor: Sendable {
    /// The text begins at the position.
    case start
    /// The text is centred on the position.
    case middle
    /// The text ends at the position.
    case end
}

/// One thing to draw; the same list renders to SVG and to pixels.
public enum DrawingElement: Sendable, Equatable {
    /// A filled rectangle, optionally outlined.
    case rectangle(origin: PlotPoint, width: Double, height: Double, fill: RGBAColor, stroke: RGBAColor?)
    /// Connected line segments.
    case polyline(points: [PlotPoint], color: RGBAColor, lineWidth: Double, dashed: Bool)
    /// Monospace text of any script: `size` 1 is a 10-unit font size with 6-unit character cells (two cells for East
    /// Asian wide characters, see `TextMeasure`). `vertical` reads bottom to top.
    case text(String, at: PlotPoint, size: Double, color: RGBAColor, anchor: TextAnchor, vertical: Bool)
}

/// A picture as an ordered list of elements over a background.
public struct Drawing: Sendable, Equatable {
    /// Width in drawing units.
    public let width: Double
    /// Height in drawing units.
    public let height: Double
    /// The background fill.
    public var background: RGBAColor
    /// Elements in painting order.
    public private(set) var elements: [DrawingElement] = []

    /// Creates an empty drawing.
    public init(width: Double, height: Double, background: RGBAColor = .white) {
        self.width = width
        self.height = height
        self.background = background
    }

    /// Appends an element on top of the others.
    public mutating func add(_ element: DrawingElement) { elements.append(element) }

    /// Appends a filled rectangle.
    mutating func rectangle(
        _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: RGBAColor,
        stroke: RGBAColor? = nil
    ) {
        add(.rectangle(origin: PlotPoint(x: x, y: y), width: width, height: height, fill: fill, stroke: stroke))
    }

    /// Appends a straight line.
    mutating func line(
        from start: PlotPoint, to end: PlotPoint, color: RGBAColor, width: Double = 1, dashed: Bool = false
    ) {
        add(.polyline(points: [start, end], color: color, lineWidth: width, dashed: dashed))
    }

    /// Appends a text.
    mutating func text(
        _ string: String, _ x: Double, _ y: Double, size: Double = 1, color: RGBAColor = .black,
        anchor: TextAnchor = .start, vertical: Bool = false
    ) {
        add(.text(string, at: PlotPoint(x: x, y: y), size: size, color: color, anchor: anchor, vertical: vertical))
    }
}
