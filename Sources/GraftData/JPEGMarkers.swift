/// The few JPEG header facts Graft needs beyond TurboJPEG: EXIF orientation and the Adobe (APP14) marker.
struct JPEGMarkers {
    /// EXIF orientation 1...8, or nil when absent or malformed.
    var orientation: Int?
    /// True when an APP14 "Adobe" segment is present (CMYK is then stored inverted).
    var hasAdobeMarker = false

    /// Walks the marker segments up to the start of scan, bounds-checking every length.
    static func scan(_ bytes: [UInt8]) -> JPEGMarkers {
        var result = JPEGMarkers()
        var offset = 2
        while offset + 1 < bytes.count {
            guard bytes[offset] == 0xFF else { break }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xD9 || marker == 0xDA { break }  // end of image / start of scan
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            guard offset + 3 < bytes.count else { break }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let payloadStart = offset + 4, segmentEnd = offset + 2 + length
            guard length >= 2, segmentEnd <= bytes.count else { break }
            let payload = bytes[payloadStart..<segmentEnd]
            if marker == 0xE1, result.orientation == nil, payload.starts(with: Array("Exif\0\0".utf8)) {
                result.orientation = ExifOrientation.parseTIFF(Array(payload.dropFirst(6)))
            } else if marker == 0xEE, payload.starts(with: Array("Adobe".utf8)) {
                result.hasAdobeMarker = true
            }
            offset = segmentEnd
        }
        return result
    }
}
