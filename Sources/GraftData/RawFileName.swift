#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File names are bytes on Linux and need not be UTF-8; a Swift `String` cannot hold such bytes. Names are read
/// with `readdir` and each byte that is not part of valid UTF-8 becomes the private-use scalar U+F700 + byte (like
/// Python's surrogateescape, which Swift strings cannot represent), so the exact bytes come back for `open` and
/// `stat`, and `displayed` prints them as `\xNN`. Hand-written because Foundation's directory listing replaces such
/// bytes and then cannot open the file.
public enum RawFileName {
    /// The first private-use scalar standing for a raw byte (byte 0x80 is U+F780).
    static let escapeBase: UInt32 = 0xF700

    /// The name for raw bytes: UTF-8 where valid, escaped bytes elsewhere.
    public static func string(fromBytes bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length > 0, let text = String(validating: bytes[index..<(index + length)], as: UTF8.self) {
                scalars.append(contentsOf: text.unicodeScalars)
                index += length
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[index]))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The exact bytes a name or path stands for (escaped bytes restored).
    public static func bytes(of path: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in path.unicodeScalars {
            if (escapeBase + 0x80...escapeBase + 0xFF).contains(scalar.value) {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes += Array(String(scalar).utf8)
            }
        }
        return bytes
    }

    /// The path for people: escaped bytes written as `\xNN`.
    public static func displayed(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { (escapeBase + 0x80...escapeBase + 0xFF).contains($0.value) }) else { return path }
        return path.unicodeScalars.map { scalar in
            (escapeBase + 0x80...escapeBase + 0xFF).contains(scalar.value)
                ? "\\x" + String(scalar.value - escapeBase, radix: 16, uppercase: true) : String(scalar)
        }.joined()
    }

    /// Calls `body` with the path as a NUL-terminated C string of its exact bytes.
    public static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        let bytes = self.bytes(of: path) + [0]
        return try bytes.withUnsafeBufferPointer { buffer in
            try buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { try body($0) }
        }
    }

    /// The entries of `directory` (without `.` and `..`), or the system's reason for failing.
    static func list(_ directory: String) -> Result<[String], SystemFailure> {
        guard let handle = withCString(directory, { opendir($0) }) else { return .failure(SystemFailure()) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(string(fromBytes: name))
        }
        return .success(names)
    }

    /// Whether `path` is a directory (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return withCString(path) { stat($0, &status) } == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// How many bytes from `index` form one valid UTF-8 scalar, or 0.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        guard length > 0, index + length <= bytes.count else { return 0 }
        return bytes[(index + 1)..<(index + length)].allSatisfy { $0 >> 6 == 0b10 } ? length : 0
    }
}

/// `errno` as text, captured when a system call failed.
struct SystemFailure: Error {
    let reason = String(cString: strerror(errno))
}
