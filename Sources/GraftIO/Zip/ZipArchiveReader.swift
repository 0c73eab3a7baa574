/// A minimal reader for the uncompressed zip archives `torch.save` writes; every offset is bounds-checked.
struct ZipArchiveReader {
    /// One file in the archive, located by its data range.
    struct Entry {
        var name: String
        var dataRange: Range<Int>
        var crc32: UInt32
    }

    private let bytes: [UInt8]
    /// The entries in central-directory order.
    private(set) var entries: [Entry] = []
    private var indexByName: [String: Int] = [:]

    private enum Signature {
        static let endOfCentralDirectory: UInt32 = 0x0605_4B50
        static let zip64EndOfCentralDirectory: UInt32 = 0x0606_4B50
        static let zip64Locator: UInt32 = 0x0706_4B50
        static let centralDirectoryEntry: UInt32 = 0x0201_4B50
        static let localHeader: UInt32 = 0x0403_4B50
    }

    /// Parses the central directory of `bytes`.
    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        let directory = try ZipArchiveReader.locateCentralDirectory(in: bytes)
        var cursor = ByteCursor(bytes, from: directory.offset, to: directory.offset + directory.size, context: "zip central directory")
        guard directory.count <= directory.size / 46 else {
            throw GraftIOError.malformedZip("\(directory.count) entries cannot fit in a central directory of \(directory.size) bytes")
        }
        for _ in 0..<directory.count {
            let entry = try readEntry(&cursor)
            if indexByName[entry.name] == nil { indexByName[entry.name] = entries.count }
            entries.append(entry)
        }
    }

    /// The entry named `name`, if present.
    func entry(named name: String) -> Entry? {
        indexByName[name].map { entries[$0] }
    }

    /// The bytes of `entry`, checked against its CRC-32.
    func contents(of entry: Entry) throws -> [UInt8] {
        let data = Array(bytes[entry.dataRange])
        guard CRC32.checksum(data) == entry.crc32 else {
            throw GraftIOError.malformedZip("entry '\(entry.name)' fails its CRC-32 check (the file is corrupted)")
        }
        return data
    }

    private struct CentralDirectory {
        var offset: Int
        var size: Int
        var count: Int
    }

    private static func locateCentralDirectory(in bytes: [UInt8]) throws -> CentralDirectory {
        let minimumRecord = 22
        guard bytes.count >= minimumRecord else { throw GraftIOError.malformedZip("file too short (\(bytes.count) bytes)") }
        // The end record sits at the end, before a comment of up to 65535 bytes.
        let lowest = max(0, bytes.count - minimumRecord - 0xFFFF)
        var candidate = bytes.count - minimumRecord
        while candidate >= lowest {
            var cursor = ByteCursor(bytes, from: candidate, context: "zip end record")
            if try cursor.readUInt32() == Signature.endOfCentralDirectory {
                return try readEndRecord(bytes: bytes, at: candidate)
            }
            candidate -= 1
        }
        throw GraftIOError.malformedZip("no end-of-central-directory record found")
    }

    private static func readEndRecord(bytes: [UInt8], at offset: Int) throws -> CentralDirectory {
        var cursor = ByteCursor(bytes, from: offset + 4, context: "zip end record")
        let disk = try cursor.readUInt16(), directoryDisk = try cursor.readUInt16()
        _ = try cursor.readUInt16()
        var count = UInt64(try cursor.readUInt16())
        var size = UInt64(try cursor.readUInt32())
        var start = UInt64(try cursor.readUInt32())
        guard disk == 0, directoryDisk == 0 else { throw GraftIOError.malformedZip("multi-disk archives are not supported") }
        if count == 0xFFFF || size == 0xFFFF_FFFF || start == 0xFFFF_FFFF, offset >= 20 {
            var locator = ByteCursor(bytes, from: offset - 20, context: "zip64 locator")
            if try locator.readUInt32() == Signature.zip64Locator {
                _ = try locator.readUInt32()
                let recordOffset = try locator.readUInt64()
                guard recordOffset < UInt64(bytes.count) else { throw GraftIOError.malformedZip("zip64 end record offset \(recordOffset) is outside the file") }
                var record = ByteCursor(bytes, from: Int(recordOffset), context: "zip64 end record")
                guard try record.readUInt32() == Signature.zip64EndOfCentralDirectory else {
                    throw GraftIOError.malformedZip("no zip64 end record at offset \(recordOffset)")
                }
                try record.skip(8 + 2 + 2 + 4 + 4 + 8)
                count = try record.readUInt64()
                size = try record.readUInt64()
                start = try record.readUInt64()
            }
        }
        guard start <= UInt64(bytes.count), size <= UInt64(bytes.count) - start else {
            throw GraftIOError.malformedZip("central directory (offset \(start), \(size) bytes) lies outside the \(bytes.count)-byte file")
        }
        guard count <= UInt64(bytes.count) else { throw GraftIOError.malformedZip("implausible entry count \(count)") }
        return CentralDirectory(offset: Int(start), size: Int(size), count: Int(count))
    }

    private func readEntry(_ cursor: inout ByteCursor) throws -> Entry {
        let entryOffset = cursor.position
        guard try cursor.readUInt32() == Signature.centralDirectoryEntry else {
            throw GraftIOError.malformedZip("bad central directory entry signature at offset \(entryOffset)")
        }
        try cursor.skip(4)
        let flags = try cursor.readUInt16()
        let method = try cursor.readUInt16()
        try cursor.skip(4)
        let crc = try cursor.readUInt32()
        var compressedSize = UInt64(try cursor.readUInt32())
        var uncompressedSize = UInt64(try cursor.readUInt32())
        let nameLength = Int(try cursor.readUInt16())
        let extraLength = Int(try cursor.readUInt16())
        let commentLength = Int(try cursor.readUInt16())
        try cursor.skip(8)
        var localOffset = UInt64(try cursor.readUInt32())
        let name = String(decoding: try cursor.readBytes(nameLength), as: UTF8.self)
        var extra = ByteCursor(bytes, from: cursor.position, to: cursor.position + extraLength, context: "zip extra field of '\(name)'")
        try cursor.skip(extraLength)
        try cursor.skip(commentLength)
        try ZipArchiveReader.applyZip64(&extra, uncompressed: &uncompressedSize, compressed: &compressedSize, localOffset: &localOffset)
        guard flags & 1 == 0 else { throw GraftIOError.malformedZip("entry '\(name)' is encrypted") }
        guard method == 0 else { throw GraftIOError.compressedZipEntry(name: name, method: method) }
        guard compressedSize == uncompressedSize else {
            throw GraftIOError.malformedZip("stored entry '\(name)' has different compressed and uncompressed sizes")
        }
        let dataStart = try localDataStart(localOffset: localOffset, name: name)
        guard compressedSize <= UInt64(bytes.count - dataStart) else {
            throw GraftIOError.malformedZip("entry '\(name)' (\(compressedSize) bytes at offset \(dataStart)) runs past the end of the file")
        }
        return Entry(name: name, dataRange: dataStart..<(dataStart + Int(compressedSize)), crc32: crc)
    }

    /// Replaces saturated 32-bit fields with the 64-bit values of a ZIP64 extra field, in the order the spec gives.
    private static func applyZip64(_ extra: inout ByteCursor, uncompressed: inout UInt64, compressed: inout UInt64, localOffset: inout UInt64) throws {
        while extra.remaining >= 4 {
            let id = try extra.readUInt16()
            let size = Int(try extra.readUInt16())
            var field = ByteCursor(extra.bytes, from: extra.position, to: extra.position + size, context: extra.context)
            try extra.skip(size)
            guard id == 0x0001 else { continue }
            if uncompressed == 0xFFFF_FFFF { uncompressed = try field.readUInt64() }
            if compressed == 0xFFFF_FFFF { compressed = try field.readUInt64() }
            if localOffset == 0xFFFF_FFFF { localOffset = try field.readUInt64() }
        }
    }

    private func localDataStart(localOffset: UInt64, name: String) throws -> Int {
        guard localOffset < UInt64(bytes.count) else {
            throw GraftIOError.malformedZip("local header of '\(name)' at offset \(localOffset) is outside the file")
        }
        var cursor = ByteCursor(bytes, from: Int(localOffset), context: "zip local header of '\(name)'")
        guard try cursor.readUInt32() == Signature.localHeader else {
            throw GraftIOError.malformedZip("no local header for '\(name)' at offset \(localOffset)")
        }
        try cursor.skip(22)
        let nameLength = Int(try cursor.readUInt16())
        let extraLength = Int(try cursor.readUInt16())
        try cursor.skip(nameLength + extraLength)
        return cursor.position
    }
}
