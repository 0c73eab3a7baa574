import CZlib

/// gzip decompression through zlib (multi-member streams included).
enum Gzip {
    /// Whether the bytes start with the gzip signature.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x1F, 0x8B]) }

    /// Inflates a whole gzip file; `path` names it in errors.
    static func decompress(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var output: [UInt8] = []
        // The trailer holds the uncompressed size modulo 2^32: a good first capacity.
        if bytes.count >= 4 {
            let tail = bytes.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
            output.reserveCapacity(min(tail, 1 << 31))
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.invalidGzip(path: path, reason: "zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow (e.g. `cat a.gz b.gz c.gz`). `inflateReset` zeroes `total_in`,
                    // so the next member's offset is what is left unread, not `total_in`.
                    let next = input.count - Int(stream.avail_in)
                    guard next < input.count, input[next] == 0x1F else { return }
                    inflateReset(&stream)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DataError.invalidGzip(path: path, reason: "truncated after \(output.count) decompressed bytes")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw DataError.invalidGzip(path: path, reason: message)
                }
            }
        }
        return output
    }
}
