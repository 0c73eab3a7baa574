/// EXIF orientation (TIFF tag 0x0112): parsing and applying it the way PIL's `ImageOps.exif_transpose` does.
enum ExifOrientation {
    private static let orientationTag = 0x0112
    private static let shortType = 3

    /// Reads the orientation from a TIFF block (the APP1 payload after "Exif\0\0"); nil when absent or invalid.
    static func parseTIFF(_ tiff: [UInt8]) -> Int? {
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func read(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, offset + size <= tiff.count else { return nil }
            var value = 0
            for index in 0..<size {
                let byte = Int(tiff[offset + (littleEndian ? size - 1 - index : index)])
                value = value << 8 | byte
            }
            return value
        }
        guard read(2, 2) == 42, let directory = read(4, 4), let entryCount = read(directory, 2) else { return nil }
        for entry in 0..<entryCount {
            let entryOffset = directory + 2 + entry * 12
            guard let tag = read(entryOffset, 2), let type = read(entryOffset + 2, 2) else { return nil }
            guard tag == orientationTag else { continue }
            guard type == shortType, let value = read(entryOffset + 8, 2), (1...8).contains(value) else { return nil }
            return value
        }
        return nil
    }

    /// Returns the image turned upright for `orientation` (1 or nil leave it unchanged).
    static func apply(_ orientation: Int?, to image: Image) -> Image {
        guard let orientation, orientation != 1 else { return image }
        let (w, h) = (image.width, image.height)
        let swapsAxes = orientation >= 5
        let outWidth = swapsAxes ? h : w, outHeight = swapsAxes ? w : h
        // Maps an output pixel to the source pixel it copies.
        let source: (Int, Int) -> (Int, Int)
        switch orientation {
        case 2: source = { x, y in (w - 1 - x, y) }
        case 3: source = { x, y in (w - 1 - x, h - 1 - y) }
        case 4: source = { x, y in (x, h - 1 - y) }
        case 5: source = { x, y in (y, x) }
        case 6: source = { x, y in (y, h - 1 - x) }
        case 7: source = { x, y in (w - 1 - y, h - 1 - x) }
        default: source = { x, y in (w - 1 - y, x) }
        }
        return image.pixels.withUnsafeBufferPointer { input in
            Image(width: outWidth, height: outHeight) { output in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let (sx, sy) = source(x, y)
                        let from = (sy * w + sx) * 3, to = (y * outWidth + x) * 3
                        output[to] = input[from]
                        output[to + 1] = input[from + 1]
                        output[to + 2] = input[from + 2]
                    }
                }
            }
        }
    }
}
