import GraftData
import GraftTestSupport
import GraftText
import XCTest

final class TextBadInputTests: XCTestCase {
    private let badCSV: [UInt8] = Array("text,label\ngood one,pos\n,neg\n\"   \",neg\nonly text\nbad ".utf8) + [0xA3]
        + Array(" bytes,neg\nfine,neg\n\"multi\n".utf8) + [0xFF] + Array("\",pos\nlast,pos\n".utf8)

    func testBadRowsAreCountedSkipsNamingFileAndLine() throws {
        let path = try makeTemporaryDirectory(self) + "/bad.csv"
        try writeFile(path, badCSV)
        let texts = try LabeledTexts(contentsOf: path)
        XCTAssertEqual((0..<texts.count).map(texts.text(at:)), ["good one", "fine", "last"])
        XCTAssertEqual(texts.skipped, [
            SkippedSample(name: "\(path):3", reason: "empty text"),
            SkippedSample(name: "\(path):4", reason: "empty text"),
            SkippedSample(name: "\(path):5", reason: "no label (`label`)"),
            SkippedSample(name: "\(path):6", reason: "line 6: byte 0xA3 at column 5 is not UTF-8 (save the file as UTF-8)"),
            SkippedSample(name: "\(path):8", reason: "line 9: byte 0xFF at column 1 is not UTF-8 (save the file as UTF-8)"),
        ])
    }

    func testStopPolicyThrowsTheFirstBadRow() throws {
        let path = try makeTemporaryDirectory(self) + "/bad.csv"
        try writeFile(path, badCSV)
        XCTAssertThrowsError(try LabeledTexts(contentsOf: path, options: TextReadingOptions(badInputPolicy: .error))) { error in
            XCTAssertEqual(error as? DataError, .invalidLabelFile(path: path, line: 3, reason: "empty text"))
            XCTAssertEqual("\(error)", "`\(path)` line 3: empty text")
        }
    }

    func testEmptyHeaderOnlyAllBadAndSingleClassFilesAreClearErrors() throws {
        let directory = try makeTemporaryDirectory(self)
        let cases: [(name: String, bytes: [UInt8], expected: DataError)] = [
            ("empty.csv", [], .emptyFile(path: directory + "/empty.csv")),
            ("bom.csv", [0xEF, 0xBB, 0xBF, 0x0A], .invalidDataset(path: directory + "/bom.csv", reason: "no header row (the first row must name the columns, e.g. `text,label`)")),
            ("header.csv", Array("text,label\r\n".utf8), .invalidDataset(path: directory + "/header.csv", reason: "no texts (the file holds no rows below its header)")),
            ("allbad.tsv", Array("text\tlabel\n \tx\n".utf8), .invalidDataset(path: directory + "/allbad.tsv", reason: "no usable texts: all 1 were skipped as bad input (first: \(directory)/allbad.tsv:2: empty text)")),
            ("single.csv", Array("text,label\na,pos\nb,pos\n".utf8), .invalidDataset(path: directory + "/single.csv", reason: "the label column `label` holds a single class `pos`; a classifier needs texts of at least two classes")),
            ("blank.jsonl", Array("\n\n".utf8), .invalidDataset(path: directory + "/blank.jsonl", reason: "no texts (every line is blank)")),
        ]
        for (name, bytes, expected) in cases {
            try writeFile(directory + "/" + name, bytes)
            XCTAssertThrowsError(try LabeledTexts(contentsOf: directory + "/" + name), name) { XCTAssertEqual($0 as? DataError, expected, name) }
        }
        XCTAssertThrowsError(try LabeledTexts(contentsOf: directory + "/missing.csv")) {
            XCTAssertEqual("\($0)", "`\(directory)/missing.csv`: cannot read file (No such file or directory)")
        }
    }

    func testBadJSONLines() throws {
        let path = try makeTemporaryDirectory(self) + "/bad.jsonl"
        let lines: [[UInt8]] = [
            Array("{\"text\": \"ok\", \"label\": \"a\"}".utf8),
            Array("{\"text\": \"unterminated".utf8),
            Array("[1, 2]".utf8),
            Array("{\"text\": 5, \"label\": \"a\"}".utf8),
            Array("{\"text\": \"t\", \"label\": true}".utf8),
            Array("{\"text\": \"t\"}".utf8),
            Array("{\"text\": \"caf".utf8) + [0xE9] + Array("\", \"label\": \"b\"}".utf8),
            Array("{\"text\": \"  \", \"label\": \"b\"}".utf8),
            Array("{\"text\": null, \"label\": \"b\"}".utf8),
            Array("{\"text\": \"also ok\", \"label\": \"b\"}".utf8),
        ]
        try writeFile(path, Array(lines.joined(separator: [0x0A])))
        let texts = try LabeledTexts(contentsOf: path)
        XCTAssertEqual((0..<texts.count).map(texts.text(at:)), ["ok", "also ok"])
        XCTAssertEqual(texts.skipped.map(\.name), (2...9).map { "\(path):\($0)" })
        XCTAssertEqual(texts.skipped.map(\.reason), [
            "not valid JSON", "not a JSON object", "`text` is not a string", "`label` is neither a string nor a number",
            "no label (`label`)", "byte 0xE9 at column 14 is not UTF-8 (save the file as UTF-8)", "empty text", "no text (`text`)",
        ])
    }

    func testBadFilesInAFolderAreSkippedAndBadLayoutsAreErrors() throws {
        let root = try makeTemporaryDirectory(self) + "/corpus"
        try writeFile(root + "/a/good.txt", "fine")
        try writeFile(root + "/a/empty.txt", [])
        try writeFile(root + "/a/blank.txt", " \n\t\n")
        try writeFile(root + "/b/latin1.txt", Array("price ".utf8) + [0xA3, 0x35])
        try writeFile(root + "/b/good.txt", "also fine")
        let texts = try LabeledTexts(contentsOf: root)
        XCTAssertEqual(texts.labels, [0, 1])
        XCTAssertEqual(texts.skipped, [
            SkippedSample(name: root + "/a/blank.txt", reason: "empty text"),
            SkippedSample(name: root + "/a/empty.txt", reason: "empty text"),
            SkippedSample(name: root + "/b/latin1.txt", reason: "line 1: byte 0xA3 at column 7 is not UTF-8 (save the file as UTF-8)"),
        ])
        XCTAssertThrowsError(try LabeledTexts(contentsOf: root, options: TextReadingOptions(badInputPolicy: .error))) {
            XCTAssertEqual($0 as? DataError, .invalidDataset(path: root + "/a/blank.txt", reason: "empty text"))
        }
        try writeFile(root + "/c/readme.md", "no texts here")
        XCTAssertThrowsError(try LabeledTexts(contentsOf: root)) {
            XCTAssertEqual($0 as? DataError, .invalidDataset(path: root + "/c", reason: "class folder contains no .txt files"))
        }
        let flat = try makeTemporaryDirectory(self) + "/flat"
        try writeFile(flat + "/one.txt", "text")
        XCTAssertThrowsError(try LabeledTexts(contentsOf: flat)) {
            XCTAssertEqual($0 as? DataError, .invalidDataset(path: flat, reason: "no class folders found (expected root/<class name>/<.txt files>)"))
        }
    }

    /// Valid tables in every format with random bytes overwritten or inserted (quotes, delimiters, line ends,
    /// braces, bytes that are not UTF-8): each read either succeeds or throws a `DataError`, and never crashes.
    func testDamagedTablesNeverCrash() throws {
        let directory = try makeTemporaryDirectory(self)
        let alphabet: [UInt8] = Array("\",\t\n\r{}[]:\\ ab1".utf8) + [0xFF, 0xC3, 0xA9, 0xE2, 0x82, 0xEF, 0xBB, 0xBF, 0x00]
        let rows = [("good film", "pos"), ("bad, \"awful\"", "neg"), ("fine\nreally", "pos"), ("dull", "neg")]
        let originals: [(String, [UInt8])] = [
            ("csv", Array((["text,label"] + rows.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\",\($1)" }).joined(separator: "\n").utf8)),
            ("tsv", Array((["text\tlabel"] + rows.map { "\($0.replacingOccurrences(of: "\n", with: " "))\t\($1)" }).joined(separator: "\n").utf8)),
            ("jsonl", Array(rows.map { "{\"text\": \"\($0.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n"))\", \"label\": \"\($1)\"}" }
                .joined(separator: "\n").utf8)),
        ]
        var random = SeededRandom(seed: 11)
        var outcomes = (read: 0, refused: 0)
        for trial in 0..<300 {
            let (extensionName, original) = originals[trial % originals.count]
            var bytes = original
            for _ in 0..<(trial / 3) % 6 {
                let byte = alphabet[random.nextInt(below: alphabet.count)], position = random.nextInt(below: bytes.count)
                if random.nextInt(below: 2) == 0 { bytes[position] = byte } else { bytes.insert(byte, at: position) }
            }
            let path = directory + "/damaged\(trial).\(extensionName)"
            try writeFile(path, bytes)
            do {
                let texts = try LabeledTexts(contentsOf: path)
                XCTAssertGreaterThanOrEqual(Set(texts.labels).count, 2)
                XCTAssertEqual(texts.count + texts.skipped.count, Set((texts.samples.map(\.name) + texts.skipped.map(\.name))).count)
                outcomes.read += 1
            } catch is DataError {
                outcomes.refused += 1
            }
            _ = try? UnlabeledTexts(linesOf: path, classes: ["a"])
        }
        XCTAssertGreaterThan(outcomes.read, 100, "\(outcomes)")
        XCTAssertGreaterThan(outcomes.refused, 0, "\(outcomes)")
    }
}
