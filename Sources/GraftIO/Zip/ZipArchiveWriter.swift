/// Writes an uncompressed zip archive the way `torch.save` does: each entry's data aligned to 64 bytes.
struct ZipArchiveWriter {
    private var output: [UInt8] = []
    private var centralDirectory: [UInt8] = []
    private var entryCount = 0
    private static let alignment = 64
    /// Extra-field id PyTorch uses for its alignment padding.
    private static let paddingFieldID: UInt16 = 0x4246

    /// Appends a file named `name` holding `data`.
    mutating func addEntry(name: String, data: [UInt8]) throws {
        let nameBytes = Array(name.utf8)
        guard data.count < 0xFFFF_FFFF, output.count < 0xFFFF_FFFF, nameBytes.count <= 0xFFFF else {
            throw GraftIOError.limitExceeded("zip entry '\(name)' or the archive exceeds 4 GiB, which needs ZIP64 (not written)")
        }
        let crc = CRC32.checksum(data)
        let localOffset = output.count
        let headerEnd = localOffset + 30 + nameBytes.count + 4
        let padding = (ZipArchiveWriter.alignment - headerEnd % ZipArchiveWriter.alignment) % ZipArchiveWriter.alignment
        var local = [UInt8]()
        append32(0x0403_4B50, to: &local)
        appendCommonFields(crc: crc, size: data.count, nameLength: nameBytes.count, extraLength: 4 + padding, to: &local)
        local += nameBytes
        append16(ZipArchiveWriter.paddingFieldID, to: &local)
        append16(UInt16(padding), to: &local)
        local += [UInt8](repeating: 0x5A, count: padding)
        output += local
        output += data

        append32(0x0201_4B50, to: &centralDirectory)
        append16(20, to: &centralDirectory)            // version made by
        appendCommonFields(crc: crc, size: data.count, nameLength: nameBytes.count, extraLength: 0, to: &centralDirectory)
        append16(0, to: &centralDirectory)             // comment length
        append16(0, to: &centralDirectory)             // disk number
        append16(0, to: &centralDirectory)             // internal attributes
        append32(0, to: &centralDirectory)             // external attributes
        append32(UInt32(localOffset), to: &centralDirectory)
        centralDirectory += nameBytes
        entryCount += 1
    }

    /// The finished archive bytes.
    func finish() throws -> [UInt8] {
        guard entryCount < 0xFFFF, output.count < 0xFFFF_FFFF else {
            throw GraftIOError.limitExceeded("zip archive too large for the classic format (ZIP64 is not written)")
        }
        var archive = output + centralDirectory
        append32(0x0605_4B50, to: &archive)
        append16(0, to: &archive)
        append16(0, to: &archive)
        append16(UInt16(entryCount), to: &archive)
        append16(UInt16(entryCount), to: &archive)
        append32(UInt32(centralDirectory.count), to: &archive)
        append32(UInt32(output.count), to: &archive)
        append16(0, to: &archive)
        return archive
    }

    /// Fields shared by local and central headers, from "version needed" to "extra length".
    private func appendCommonFields(crc: UInt32, size: Int, nameLength: Int, extraLength: Int, to buffer: inout [UInt8]) {
        append16(20, to: &buffer)      // version needed
        append16(0, to: &buffer)       // flags
        append16(0, to: &buffer)       // method: stored
        append16(0, to: &buffer)       // time
        append16(0x21, to: &buffer)    // date: 1980-01-01
        append32(crc, to: &buffer)
        append32(UInt32(size), to: &buffer)
        append32(UInt32(size), to: &buffer)
        append16(UInt16(nameLength), to: &buffer)
        append16(UInt16(extraLength), to: &buffer)
    }
}

/// Appends a little-endian UInt16.
func append16(_ value: UInt16, to buffer: inout [UInt8]) {
    buffer.append(UInt8(value & 0xFF))
    buffer.append(UInt8(value >> 8))
}

/// Appends a little-endian UInt32.
func append32(_ value: UInt32, to buffer: inout [UInt8]) {
    for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
}

/// Appends a little-endian UInt64.
func append64(_ value: UInt64, to buffer: inout [UInt8]) {
    for shift in stride(from: 0, to: 64, by: 8) { buffer.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
}
