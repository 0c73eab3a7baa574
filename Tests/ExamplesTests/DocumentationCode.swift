import Foundation

/// The Swift code shown in the README and the DocC articles, each fenced block tied to the compiled source it must equal
/// by a marker on the line before it: `<!-- snippet: PATH -->` (a whole file) or `<!-- snippet: PATH#NAME -->` (the lines
/// between `// snippet: NAME` and `// snippet: end` in PATH, without their common indentation). A block that is not
/// Swift the package compiles (a manifest excerpt) says so with `<!-- not compiled: REASON -->`.
enum DocumentationCode {
    /// A fenced Swift block and the marker before it.
    struct Block {
        /// 1-based line of the opening fence.
        let line: Int
        /// The marker's text (`snippet: …` or `not compiled: …`), nil when there is none.
        let marker: String?
        /// The lines between the fences.
        let code: String
    }

    /// Every ```swift block of `markdown`, in order.
    static func swiftBlocks(in markdown: String) -> [Block] {
        let lines = markdown.components(separatedBy: "\n")
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces) == "```swift" else {
                index += 1
                continue
            }
            let previous = index > 0 ? lines[index - 1].trimmingCharacters(in: .whitespaces) : ""
            let marker = previous.hasPrefix("<!--") && previous.hasSuffix("-->")
                ? String(previous.dropFirst(4).dropLast(3)).trimmingCharacters(in: .whitespaces) : nil
            let end = lines[(index + 1)...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "```" } ?? lines.count
            blocks.append(Block(line: index + 1, marker: marker, code: lines[(index + 1)..<end].joined(separator: "\n")))
            index = end + 1
        }
        return blocks
    }

    /// The text a `snippet:` marker names: `PATH` or `PATH#NAME`, relative to `root`.
    static func source(of reference: String, root: URL) throws -> String {
        let parts = reference.split(separator: "#", maxSplits: 1).map(String.init)
        let text = try String(contentsOf: root.appendingPathComponent(parts[0]), encoding: .utf8)
        guard parts.count == 2 else { return text.hasSuffix("\n") ? String(text.dropLast()) : text }
        return try region(parts[1], in: text, file: parts[0])
    }

    /// The names of the regions `text` defines, in order.
    static func regionNames(in text: String) -> [String] {
        text.components(separatedBy: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("// snippet: "), trimmed != "// snippet: end" else { return nil }
            return String(trimmed.dropFirst("// snippet: ".count))
        }
    }

    /// The lines of region `name` in `text`, without their common indentation.
    static func region(_ name: String, in text: String, file: String) throws -> String {
        let lines = text.components(separatedBy: "\n")
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = trimmed.firstIndex(of: "// snippet: \(name)"),
              let end = trimmed[(start + 1)...].firstIndex(of: "// snippet: end") else {
            throw Missing(description: "\(file) has no region `\(name)` (// snippet: \(name) … // snippet: end)")
        }
        let body = lines[(start + 1)..<end]
        let indent = body.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return body.map { String($0.dropFirst(Swift.min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
    }

    /// A marker names a file or region that does not exist.
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }
}
