import GraftData

/// A text file split into lines (at LF, CRLF or a lone CR, a leading UTF-8 byte-order mark removed), each line
/// decoded on its own so bytes that are not UTF-8 are pinned to their line instead of failing the whole file.
struct TextFileLines {
    /// One line of the file.
    struct Line {
        /// 1-based line number.
        let number: Int
        /// The line's bytes, without the line end.
        let bytes: ArraySlice<UInt8>
        /// The line as text (bytes that are not UTF-8 become U+FFFD).
        let text: String
        /// Why the line is not UTF-8, or nil when it is.
        let encodingProblem: String?
    }

    /// The lines, in file order.
    let lines: [Line]
    /// The file's bytes without the byte-order mark.
    private let body: ArraySlice<UInt8>

    /// Reads `path`; throws `DataError.unreadableFile` / `emptyFile` naming it.
    init(path: String) throws {
        self.init(bytes: try FileBytes.read(path))
    }

    /// Splits `bytes`.
    init(bytes: [UInt8]) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        var lines: [Line] = []
        var start = body.startIndex, index = body.startIndex
        func endLine(at end: Int) {
            let slice = body[start..<end]
            let valid = String(validating: slice, as: UTF8.self)
            lines.append(Line(number: lines.count + 1, bytes: slice, text: valid ?? String(decoding: slice, as: UTF8.self),
                              encodingProblem: valid == nil ? Self.describeInvalidUTF8(slice) : nil))
        }
        while index < body.endIndex {
            let byte = body[index]
            if byte == 0x0A || byte == 0x0D {
                endLine(at: index)
                index += byte == 0x0D && index + 1 < body.endIndex && body[index + 1] == 0x0A ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        if start < body.endIndex { endLine(at: body.endIndex) }
        self.lines = lines
        self.body = body
    }

    /// The whole text, lines joined with LF, so a parser counting lines counts these lines.
    var joinedText: String { lines.map(\.text).joined(separator: "\n") }

    /// The whole text exactly as stored (line ends included; bytes that are not UTF-8 become U+FFFD).
    var wholeText: String { String(decoding: body, as: UTF8.self) }

    /// The first encoding problem on lines `range` (1-based), with its line number.
    func encodingProblem(onLines range: ClosedRange<Int>) -> String? {
        for number in range where lines.indices.contains(number - 1) {
            if let problem = lines[number - 1].encodingProblem { return "line \(number): \(problem)" }
        }
        return nil
    }

    /// "byte 0xA3 at column 17 is not UTF-8" for the first byte that does not start a valid UTF-8 sequence.
    static func describeInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> String {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return "not UTF-8"
            case .error:
                let byte = bytes[bytes.startIndex + offset]
                return "byte 0x\(String(byte, radix: 16, uppercase: true)) at column \(offset + 1) is not UTF-8 (save the file as UTF-8)"
            }
        }
    }
}
