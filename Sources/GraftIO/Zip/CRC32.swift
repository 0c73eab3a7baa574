import CZlib

/// The CRC-32 (IEEE 802.3, as used by zip) of a byte sequence, computed by zlib.
enum CRC32 {
    /// The checksum of `bytes`.
    static func checksum<Bytes: Collection>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) { return crc }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }

    /// The checksum of the bytes in `buffer`.
    private static func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return 0 }
        return UInt32(crc32_z(0, base, buffer.count))
    }
}
