import GraftData
import GraftTestSupport
import GraftText
import XCTest

final class TextDatasetReadingTests: XCTestCase {
    func testCSVWithBOMCRLFQuotedCommasQuotesAndNewlines() throws {
        let path = try makeTemporaryDirectory(self) + "/reviews.csv"
        try writeFile(path, "\u{FEFF}id,text,label\r\n1,\"Great film, loved it\",pos\r\n2,\"He said \"\"meh\"\"\r\nand left\",neg\r\n\r\n3,  plain text  ,pos\r\n")
        let texts = try LabeledTexts(contentsOf: path)
        XCTAssertEqual(texts.classes, ["neg", "pos"])
        XCTAssertEqual(texts.samples, [
            TextSample(text: "Great film, loved it", label: 1, name: "\(path):2"),
            TextSample(text: "He said \"meh\"\nand left", label: 0, name: "\(path):3"),
            TextSample(text: "plain text", label: 1, name: "\(path):6"),
        ])
        XCTAssertEqual(texts.skipped, [])
    }

    func testTSVWithChosenColumnsAndLiteralQuotesInsideFields() throws {
        let path = try makeTemporaryDirectory(self) + "/news.TSV"
        try writeFile(path, "topic\tbody\tsource\nsport\tThe match, \"a classic\", ended 2-1\tbbc\nnews\t\"a\ttab, quoted\"\tap\n")
        let texts = try LabeledTexts(contentsOf: path, options: TextReadingOptions(textColumn: "body", labelColumn: "topic"))
        XCTAssertEqual(texts.classes, ["news", "sport"])
        XCTAssertEqual((0..<texts.count).map(texts.text(at:)), ["The match, \"a classic\", ended 2-1", "a\ttab, quoted"])
        XCTAssertEqual(texts.labels, [1, 0])
    }

    func testJSONLinesWithStringAndNumberLabels() throws {
        let path = try makeTemporaryDirectory(self) + "/data.jsonl"
        try writeFile(path, "{\"text\": \"first\", \"label\": 1}\r\n{\"text\": \"second \\u00e9\", \"label\": \"0\"}\n  \n{\"label\": 2.0, \"text\": \"third\", \"extra\": [1, {\"a\": null}]}\n")
        let texts = try LabeledTexts(contentsOf: path)
        XCTAssertEqual(texts.classes, ["0", "1", "2"])
        XCTAssertEqual(texts.samples, [
            TextSample(text: "first", label: 1, name: "\(path):1"),
            TextSample(text: "second é", label: 0, name: "\(path):2"),
            TextSample(text: "third", label: 2, name: "\(path):4"),
        ])
        let ndjson = try makeTemporaryDirectory(self) + "/data.ndjson"
        try writeFile(ndjson, "{\"review\": \"good\", \"stars\": \"high\"}\n{\"review\": \"bad\", \"stars\": \"low\"}\n")
        let named = try LabeledTexts(contentsOf: ndjson, options: TextReadingOptions(textColumn: "review", labelColumn: "stars"))
        XCTAssertEqual(named.classes, ["high", "low"])
        XCTAssertEqual(named.count, 2)
    }

    func testFolderOfTextFilesPerClassInByteOrder() throws {
        let root = try makeTemporaryDirectory(self) + "/corpus"
        try writeFile(root + "/b/x.txt", "bee text\n")
        try writeFile(root + "/a/z.txt", [0xEF, 0xBB, 0xBF] + Array("zed\r\nline two".utf8))
        try writeFile(root + "/a/sub/y.TXT", "why")
        try writeFile(root + "/a/notes.md", "not a text sample")
        let texts = try LabeledTexts(contentsOf: root)
        XCTAssertEqual(texts.classes, ["a", "b"])
        XCTAssertEqual(texts.samples, [
            TextSample(text: "zed\r\nline two", label: 0, name: root + "/a/z.txt"),
            TextSample(text: "why", label: 0, name: root + "/a/sub/y.TXT"),
            TextSample(text: "bee text\n", label: 1, name: root + "/b/x.txt"),
        ])
    }

    func testAMissingColumnListsTheColumnsThatExist() throws {
        let directory = try makeTemporaryDirectory(self)
        try writeFile(directory + "/a.csv", "id,text,label\n1,hello,x\n2,bye,y\n")
        XCTAssertThrowsError(try LabeledTexts(contentsOf: directory + "/a.csv", options: TextReadingOptions(textColumn: "review"))) { error in
            XCTAssertEqual(error as? DataError, .missingColumn(path: directory + "/a.csv", setting: "textColumn", name: "review", available: ["id", "text", "label"]))
            XCTAssertEqual("\(error)", "`\(directory)/a.csv`: no column `review` (`textColumn`); the columns are: `id`, `text`, `label`")
        }
        XCTAssertThrowsError(try LabeledTexts(contentsOf: directory + "/a.csv", options: TextReadingOptions(labelColumn: "category"))) { error in
            XCTAssertEqual(error as? DataError, .missingColumn(path: directory + "/a.csv", setting: "labelColumn", name: "category", available: ["id", "text", "label"]))
        }
        try writeFile(directory + "/b.jsonl", "{\"text\": \"a\", \"y\": 1}\n{\"text\": \"b\", \"z\": 0}\n")
        XCTAssertThrowsError(try LabeledTexts(contentsOf: directory + "/b.jsonl")) { error in
            XCTAssertEqual(error as? DataError, .missingColumn(path: directory + "/b.jsonl", setting: "labelColumn", name: "label", available: ["text", "y", "z"]))
        }
    }

    func testExplicitClassesResolveNamesAndIndicesAndRefuseUnknownLabels() throws {
        let path = try makeTemporaryDirectory(self) + "/eval.csv"
        try writeFile(path, "text,label\nfine,pos\nmeh,2\nawful,neg\n")
        let texts = try LabeledTexts(contentsOf: path, options: TextReadingOptions(classes: ["neg", "pos", "neutral"]))
        XCTAssertEqual(texts.classes, ["neg", "pos", "neutral"])
        XCTAssertEqual(texts.labels, [1, 2, 0])
        // Evaluating on one class of a checkpoint's classes is fine.
        try writeFile(path, "text,label\nfine,pos\n")
        XCTAssertEqual(try LabeledTexts(contentsOf: path, options: TextReadingOptions(classes: ["neg", "pos"])).labels, [1])
        try writeFile(path, "text,label\nfine,pos\nawful,terrible\n")
        XCTAssertThrowsError(try LabeledTexts(contentsOf: path, options: TextReadingOptions(classes: ["neg", "pos"]))) { error in
            XCTAssertEqual(error as? DataError, .invalidLabelFile(path: path, line: 3, reason: "unknown label `terrible` (classes: neg, pos)"))
        }
    }

    func testNumericLabelsNameClassesByIndexLikeLabeledFiles() throws {
        let path = try makeTemporaryDirectory(self) + "/stars.csv"
        try writeFile(path, "text,label\na,2\nb,0\nc,10\n")
        let texts = try LabeledTexts(contentsOf: path)
        XCTAssertEqual(texts.classes, (0...10).map(String.init))
        XCTAssertEqual(texts.labels, [2, 0, 10])
    }

    func testUnknownExtensionsAndMissingPathsAreRefusedByName() throws {
        let path = try makeTemporaryDirectory(self) + "/data.xlsx"
        try writeFile(path, "x")
        XCTAssertThrowsError(try LabeledTexts(contentsOf: path)) { error in
            XCTAssertTrue("\(error)".contains("expected a .csv, .tsv, .jsonl or .ndjson file"), "\(error)")
        }
        XCTAssertThrowsError(try LabeledTexts(contentsOf: path + "-missing/folder")) {
            XCTAssertEqual($0 as? DataError, .unreadableFile(path: path + "-missing/folder", reason: "No such file or directory"))
        }
    }

    func testUnlabeledTextsFromLinesAndStrings() throws {
        let path = try makeTemporaryDirectory(self) + "/inputs.txt"
        try writeFile(path, Array("first text\r\n\r\n  \nsecond\n".utf8) + [0x62, 0x61, 0x64, 0xC3, 0x28, 0x0A] + Array("third".utf8))
        let lines = try UnlabeledTexts(linesOf: path, classes: ["a", "b"])
        XCTAssertEqual((0..<lines.count).map(lines.text(at:)), ["first text", "second", "third"])
        XCTAssertEqual((0..<lines.count).map(lines.sampleName(at:)), ["\(path):1", "\(path):4", "\(path):6"])
        XCTAssertEqual(lines.labels, [0, 0, 0])
        XCTAssertEqual(lines.skipped, [SkippedSample(name: "\(path):5", reason: "byte 0xC3 at column 4 is not UTF-8 (save the file as UTF-8)")])
        XCTAssertThrowsError(try UnlabeledTexts(linesOf: path, classes: ["a"], badInputPolicy: .error)) {
            XCTAssertEqual($0 as? DataError, .invalidLabelFile(path: path, line: 5, reason: "byte 0xC3 at column 4 is not UTF-8 (save the file as UTF-8)"))
        }

        let given = try UnlabeledTexts(texts: ["one", "two words"], classes: ["a", "b"])
        XCTAssertEqual((0..<given.count).map(given.sampleName(at:)), ["text 1", "text 2"])
        XCTAssertThrowsError(try UnlabeledTexts(texts: [], classes: ["a"])) { XCTAssertEqual("\($0)", "no texts to classify") }
        XCTAssertThrowsError(try UnlabeledTexts(texts: ["ok", " \t"], classes: ["a"])) { XCTAssertEqual("\($0)", "text 2 is empty") }

        let loader = try TextLoader(dataset: given, tokenizer: WordTokenizer(), batchSize: 8, shuffle: false)
        let batch = try XCTUnwrap(try loader.labeledBatches(epoch: 0).next(on: .cpu))
        XCTAssertEqual(batch.inputs.shape, [2, 3, 4])
        XCTAssertEqual(batch.sampleIndices, [0, 1])
    }
}
