/// Writes RGBA images as PNG files without any library: per-row filters and a deflate stream with fixed Huffman codes
/// whose only back-references are runs (distance 1), which shrinks flat plot areas to a few bytes per row.
public enum PNGEncoder {
    /// The PNG file bytes for `image` (8-bit RGBA, non-interlaced).
    public static func encode(_ image: RGBAImage) -> [UInt8] {
        var header: [UInt8] = []
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        header += [8, 6, 0, 0, 0]  // bit depth 8, color type RGBA, deflate, adaptive filtering, no interlace
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", zlibStream(filteredScanlines(image)), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// Each row prefixed by the filter (None, Sub or Up) that leaves the smallest residuals.
    static func filteredScanlines(_ image: RGBAImage) -> [UInt8] {
        let stride = image.width * 4
        var output = [UInt8](repeating: 0, count: (stride + 1) * image.height)
        image.pixels.withUnsafeBufferPointer { pixels in
            output.withUnsafeMutableBufferPointer { output in
                for row in 0..<image.height {
                    let base = row * stride
                    // The usual heuristic: residual bytes read as signed, smallest absolute sum wins.
                    var costs = (none: 0, sub: 0, up: 0)
                    for index in 0..<stride {
                        let value = pixels[base + index]
                        let left: UInt8 = index >= 4 ? pixels[base + index - 4] : 0
                        let up: UInt8 = row > 0 ? pixels[base + index - stride] : 0
                        costs.none += abs(Int(Int8(bitPattern: value)))
                        costs.sub += abs(Int(Int8(bitPattern: value &- left)))
                        costs.up += abs(Int(Int8(bitPattern: value &- up)))
                    }
                    let filter: UInt8 = costs.none <= min(costs.sub, costs.up) ? 0 : costs.sub <= costs.up ? 1 : 2
                    let target = row * (stride + 1)
                    output[target] = filter
                    for index in 0..<stride {
                        let value = pixels[base + index]
                        switch filter {
                        case 1: output[target + 1 + index] = value &- (index >= 4 ? pixels[base + index - 4] : 0)
                        case 2: output[target + 1 + index] = value &- (row > 0 ? pixels[base + index - stride] : 0)
                        default: output[target + 1 + index] = value
                        }
                    }
                }
            }
        }
        return output
    }

    /// A zlib stream (RFC 1950) holding one fixed-Huffman deflate block (RFC 1951) and the Adler-32 checksum.
    static func zlibStream(_ data: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.bytes = [0x78, 0x01]
        writer.write(1, bitCount: 1)  // final block
        writer.write(1, bitCount: 2)  // fixed Huffman codes
        var index = 0
        while index < data.count {
            var run = 0
            if index > 0 {
                while run < 258, index + run < data.count, data[index + run] == data[index - 1] { run += 1 }
            }
            if run >= 3 {
                writeLength(run, to: &writer)
                writer.writeHuffman(0, bitCount: 5)  // distance code 0 = distance 1
                index += run
            } else {
                writeLiteral(Int(data[index]), to: &writer)
                index += 1
            }
        }
        writeLiteral(256, to: &writer)  // end of block
        var bytes = writer.finish()
        appendBigEndian(adler32(data), to: &bytes)
        return bytes
    }

    /// Writes a literal/length symbol with the fixed code of RFC 1951 section 3.2.6.
    private static func writeLiteral(_ symbol: Int, to writer: inout BitWriter) {
        switch symbol {
        case 0...143: writer.writeHuffman(UInt32(0x30 + symbol), bitCount: 8)
        case 144...255: writer.writeHuffman(UInt32(0x190 + symbol - 144), bitCount: 9)
        case 256...279: writer.writeHuffman(UInt32(symbol - 256), bitCount: 7)
        default: writer.writeHuffman(UInt32(0xC0 + symbol - 280), bitCount: 8)
        }
    }

    private static let lengthBases = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtraBits = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]

    /// Writes a match length (3...258) as its length code plus extra bits.
    private static func writeLength(_ length: Int, to writer: inout BitWriter) {
        let code = (lengthBases.lastIndex { $0 <= length }) ?? 0
        writeLiteral(257 + code, to: &writer)
        if lengthExtraBits[code] > 0 {
            writer.write(UInt32(length - lengthBases[code]), bitCount: lengthExtraBits[code])
        }
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        appendBigEndian(UInt32(data.count), to: &file)
        file += typeBytes
        file += data
        appendBigEndian(crc32(typeBytes + data), to: &file)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static let crcTable: [UInt32] = (0..<256).map { entry in
        var value = UInt32(entry)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// The CRC-32 (ISO-HDLC, as in PNG and zip) of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The Adler-32 checksum zlib appends.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for chunk in stride(from: 0, to: bytes.count, by: 5552) {  // 5552 bytes cannot overflow 32 bits
            for byte in bytes[chunk..<min(chunk + 5552, bytes.count)] {
                a += UInt32(byte)
                b += a
            }
            a %= 65521
            b %= 65521
        }
        return (b << 16) | a
    }
}

/// Packs bits least-significant first, as deflate requires.
private struct BitWriter {
    var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    /// Writes the low `bitCount` bits of `value`, least significant first (for extra bits and headers).
    mutating func write(_ value: UInt32, bitCount: Int) {
        buffer |= UInt64(value & ((1 << UInt32(bitCount)) - 1)) << UInt64(count)
        count += bitCount
        while count >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            count -= 8
        }
    }

    /// Writes a Huffman code, which deflate stores most significant bit first.
    mutating func writeHuffman(_ code: UInt32, bitCount: Int) {
        var reversed: UInt32 = 0
        for bit in 0..<bitCount { reversed |= ((code >> UInt32(bit)) & 1) << UInt32(bitCount - 1 - bit) }
        write(reversed, bitCount: bitCount)
    }

    /// Flushes the last partial byte.
    mutating func finish() -> [UInt8] {
        if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
        buffer = 0
        count = 0
        return bytes
    }
}
