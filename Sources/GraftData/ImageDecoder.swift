/// Decodes JPEG and PNG files to RGB, choosing the decoder by magic bytes rather than the file extension.
public enum ImageDecoder {
    /// Decodes encoded bytes; `path` only names the source in errors. With `minimumShorterSide`, a JPEG may be
    /// decoded at 1/2, 1/4 or 1/8 scale as long as its shorter side stays at least that long.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>", minimumShorterSide: Int? = nil) throws -> Image {
        guard !bytes.isEmpty else { throw DataError.emptyFile(path: path) }
        switch ImageFormat.detect(bytes) {
        case .jpeg: return try JPEGDecoder.decode(bytes, path: path, minimumShorterSide: minimumShorterSide)
        case .png: return try PNGDecoder.decode(bytes, path: path)
        case nil: throw DataError.unknownFormat(path: path, firstBytes: ImageFormat.hexPrefix(bytes))
        }
    }

    /// Reads and decodes the file at `path` (see `decode(_:path:minimumShorterSide:)`).
    public static func decodeFile(atPath path: String, minimumShorterSide: Int? = nil) throws -> Image {
        try decode(FileBytes.read(path), path: path, minimumShorterSide: minimumShorterSide)
    }
}

/// The encoded formats Graft decodes.
public enum ImageFormat: String, Sendable {
    case jpeg = "JPEG"
    case png = "PNG"

    /// Recognises a format from its signature bytes, or nil.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        return nil
    }

    /// Upper-case hex of the first (up to four) bytes, e.g. "3C 68 74 6D".
    static func hexPrefix(_ bytes: [UInt8]) -> String {
        bytes.prefix(4).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: " ")
    }
}
