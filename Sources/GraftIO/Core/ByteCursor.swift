/// A bounds-checked little-endian reader over a byte array; every read throws instead of trapping.
struct ByteCursor {
    let bytes: [UInt8]
    /// Absolute offset of the next byte to read.
    var position: Int
    /// Absolute offset one past the last readable byte.
    let end: Int
    /// Names the structure being read, for error messages.
    let context: String

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil, context: String) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
        self.context = context
    }

    /// Bytes left before `end`.
    var remaining: Int { max(0, end - position) }

    /// Throws unless `count` more bytes can be read.
    func require(_ count: Int) throws {
        guard count >= 0, count <= remaining else {
            throw GraftIOError.truncated(context: context, offset: position, needed: count < 0 ? Int.max : count - remaining)
        }
    }

    mutating func readByte() throws -> UInt8 {
        try require(1)
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads `count` bytes as an unsigned little-endian integer (count ≤ 8).
    mutating func readUnsigned(_ count: Int) throws -> UInt64 {
        try require(count)
        var value: UInt64 = 0
        for index in 0..<count {
            value |= UInt64(bytes[position + index]) << (8 * UInt64(index))
        }
        position += count
        return value
    }

    mutating func readUInt16() throws -> UInt16 { UInt16(try readUnsigned(2)) }
    mutating func readUInt32() throws -> UInt32 { UInt32(try readUnsigned(4)) }
    mutating func readUInt64() throws -> UInt64 { try readUnsigned(8) }

    /// Reads a length that must fit in an `Int` and in the remaining bytes.
    mutating func readLength(_ byteCount: Int) throws -> Int {
        let start = position
        let raw = try readUnsigned(byteCount)
        guard raw <= UInt64(Int.max), Int(raw) <= remaining else {
            throw GraftIOError.truncated(context: context, offset: start, needed: raw > UInt64(Int.max) ? Int.max : Int(raw) - remaining)
        }
        return Int(raw)
    }

    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        try require(count)
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func skip(_ count: Int) throws {
        try require(count)
        position += count
    }
}
