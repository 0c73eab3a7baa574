/// A minimal CSV/TSV reader: quoted fields with doubled quotes, quoted newlines and delimiters, CRLF line ends.
/// Unquoted fields lose their leading and trailing spaces.
public enum DelimitedText {
    /// One parsed row and the 1-based lines it spans (more than one when a quoted field holds line breaks).
    public struct Row: Sendable, Equatable {
        /// The line where the row starts.
        public var line: Int
        /// The line where the row ends.
        public var lastLine: Int
        /// The fields, unquoted.
        public var fields: [String]
    }

    /// Splits `text` into rows; blank lines are skipped. Throws `DataError.invalidLabelFile` on an unterminated
    /// quote. Lines end at LF, CRLF or a lone CR.
    public static func parse(_ text: String, delimiter: Character, path: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false, fieldWasQuoted = false
        var line = 1, rowStart = 1
        var characters = text.makeIterator()
        var pending: Character? = characters.next()

        func endField() {
            fields.append(fieldWasQuoted ? field : field.trimmingSpaces())
            field = ""
            fieldWasQuoted = false
        }
        func endRow() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, lastLine: line, fields: fields)) }
            fields = []
        }

        while let character = pending {
            pending = characters.next()
            if inQuotes {
                if character == "\"" {
                    if pending == "\"" { field.append("\""); pending = characters.next() } else { inQuotes = false }
                } else {
                    if character == "\n" || character == "\r\n" || character == "\r" { line += 1 }
                    field.append(character)
                }
            } else if character == "\"" && field.trimmingSpaces().isEmpty {
                inQuotes = true
                fieldWasQuoted = true
                field = ""
            } else if fieldWasQuoted, character == " " || character == "\t", character != delimiter {
                continue  // spaces between a closing quote and the delimiter
            } else if character == delimiter {
                endField()
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                endRow()
                line += 1
                rowStart = line
            } else {
                field.append(character)
            }
        }
        guard !inQuotes else { throw DataError.invalidLabelFile(path: path, line: rowStart, reason: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
