import CFreeType
import Foundation

/// The fonts PNG text is drawn with, through FreeType: DejaVu Sans Mono first (Latin, Greek, Cyrillic and their
/// accents), DejaVu Sans for other symbols, then WenQuanYi Zen Hei Mono for Chinese, Japanese and Korean. Fonts come
/// from fixed Debian paths (packages `fonts-dejavu-core` and `fonts-wqy-zenhei`) so a plot renders the same on every
/// machine; a fallback font is opened only when a character needs it. One stack serves one rendering on one thread.
final class FontStack {
    /// A font file in the stack and the Debian package that installs it.
    struct Source: Sendable {
        let path: String
        /// The face inside a collection (`.ttc`) file.
        let faceIndex: Int
        let package: String
    }

    /// The fonts tried in order for each character.
    static let debianSources = [
        Source(path: "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", faceIndex: 0, package: "fonts-dejavu-core"),
        Source(path: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", faceIndex: 0, package: "fonts-dejavu-core"),
        // Face 1 of the collection is the monospace variant: CJK glyphs exactly two Latin cells wide.
        Source(path: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", faceIndex: 1, package: "fonts-wqy-zenhei"),
    ]

    /// A rendered glyph: 8-bit coverage rows and the offset of its top-left pixel from the pen on the baseline.
    struct Glyph {
        let width: Int
        let rows: Int
        /// Pixels right of the pen.
        let left: Int
        /// Pixels above the baseline.
        let top: Int
        /// `rows * width` coverage values, 0 (none) to 255 (full), row-major from the top.
        let coverage: [UInt8]
    }

    private struct GlyphKey: Hashable {
        let scalar: UInt32
        let pixelSize: Int
    }

    /// The fonts this stack tries in order.
    let sources: [Source]
    private let library: FT_Library
    /// Opened faces, parallel to `sources`; nil until a character needs the font.
    private var faces: [FT_Face?]
    /// The pixel size each face is set to (0: not set), so repeated texts of one size skip FreeType's resizing.
    private var faceSizes: [Int]
    private var glyphs: [GlyphKey: Glyph] = [:]
    private var metrics: [Int: (ascender: Int, descender: Int)] = [:]

    /// Starts FreeType and opens the primary (first) font.
    init(sources: [Source] = FontStack.debianSources) throws {
        precondition(!sources.isEmpty, "a font stack needs at least one font")
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else {
            throw GraftReportError.fontUnusable(path: sources[0].path, reason: "FreeType failed to initialise")
        }
        self.sources = sources
        self.library = library
        faces = Array(repeating: nil, count: sources.count)
        faceSizes = Array(repeating: 0, count: sources.count)
        faces[0] = try openFace(0)
    }

    deinit {
        for face in faces { if let face { FT_Done_Face(face) } }
        FT_Done_FreeType(library)
    }

    /// The primary font's ascender and descender (negative) in pixels at `pixelSize`.
    func verticalMetrics(pixelSize: Int) throws -> (ascender: Int, descender: Int) {
        if let known = metrics[pixelSize] { return known }
        let sizeMetrics = try sized(0, pixelSize: pixelSize).pointee.size.pointee.metrics
        let result = (ascender: Int(sizeMetrics.ascender) >> 6, descender: Int(sizeMetrics.descender) >> 6)
        metrics[pixelSize] = result
        return result
    }

    /// The glyph for `scalar` from the first font that has it; the primary font's missing-glyph box when none has.
    func glyph(for scalar: Unicode.Scalar, pixelSize: Int) throws -> Glyph {
        let key = GlyphKey(scalar: scalar.value, pixelSize: pixelSize)
        if let cached = glyphs[key] { return cached }
        var chosen = (position: 0, index: FT_UInt(0))
        for position in sources.indices {
            let index = FT_Get_Char_Index(try sized(position, pixelSize: pixelSize), FT_ULong(scalar.value))
            if index != 0 {
                chosen = (position, index)
                break
            }
        }
        let glyph = try render(chosen.index, of: chosen.position, pixelSize: pixelSize)
        glyphs[key] = glyph
        return glyph
    }

    private func openFace(_ position: Int) throws -> FT_Face {
        let source = sources[position]
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw GraftReportError.fontMissing(path: source.path, package: source.package)
        }
        var face: FT_Face?
        let status = FT_New_Face(library, source.path, FT_Long(source.faceIndex), &face)
        guard status == 0, let face else {
            throw GraftReportError.fontUnusable(path: source.path, reason: "FreeType error \(status) opening it")
        }
        return face
    }

    /// The face at `position` (opened on first use) set to `pixelSize` pixels per em.
    private func sized(_ position: Int, pixelSize: Int) throws -> FT_Face {
        let face = try faces[position] ?? openFace(position)
        faces[position] = face
        guard faceSizes[position] != pixelSize else { return face }
        let status = FT_Set_Pixel_Sizes(face, 0, FT_UInt(pixelSize))
        guard status == 0 else {
            throw GraftReportError.fontUnusable(path: sources[position].path, reason: "FreeType error \(status) at \(pixelSize) px")
        }
        faceSizes[position] = pixelSize
        return face
    }

    private func render(_ index: FT_UInt, of position: Int, pixelSize: Int) throws -> Glyph {
        let face = try sized(position, pixelSize: pixelSize)
        let path = sources[position].path
        // Outlines only: embedded bitmap strikes (WenQuanYi has some) are 1-bit and sized differently.
        let status = FT_Load_Glyph(face, index, FT_Int32(FT_LOAD_RENDER | FT_LOAD_NO_BITMAP))
        guard status == 0, let slot = face.pointee.glyph else {
            throw GraftReportError.fontUnusable(path: path, reason: "FreeType error \(status) rendering glyph \(index)")
        }
        let bitmap = slot.pointee.bitmap
        let width = Int(bitmap.width)
        let rows = Int(bitmap.rows)
        var coverage = [UInt8](repeating: 0, count: width * rows)
        if let buffer = bitmap.buffer, width > 0, rows > 0 {
            guard bitmap.pixel_mode == UInt8(FT_PIXEL_MODE_GRAY.rawValue) else {
                throw GraftReportError.fontUnusable(path: path, reason: "glyph \(index) is not a grey-level bitmap")
            }
            for row in 0..<rows {
                let source = buffer + row * Int(bitmap.pitch)
                for column in 0..<width { coverage[row * width + column] = source[column] }
            }
        }
        return Glyph(width: width, rows: rows, left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top), coverage: coverage)
    }
}
