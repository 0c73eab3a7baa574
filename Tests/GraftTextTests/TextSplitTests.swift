import GraftData
import GraftTestSupport
import GraftText
import XCTest

final class TextSplitTests: XCTestCase {
    func testSplitIsStratifiedSeededAndKeepsTexts() throws {
        let path = try makeTemporaryDirectory(self) + "/three.csv"
        var rows = ["text,label"]
        for (name, count) in [("a", 10), ("b", 20), ("c", 30)] {
            rows += (0..<count).map { "\(name) text \($0),\(name)" }
        }
        try writeFile(path, rows.joined(separator: "\n"))
        let texts = try LabeledTexts(contentsOf: path)
        let (train, validation) = try texts.split(validationFraction: 0.2, seed: 5)
        let counts = { (subset: DatasetSubset<LabeledTexts>) in (0..<3).map { label in subset.labels.filter { $0 == label }.count } }
        XCTAssertEqual(counts(validation), [2, 4, 6])
        XCTAssertEqual(counts(train), [8, 16, 24])
        XCTAssertEqual(Set(train.indices).intersection(validation.indices), [])
        XCTAssertEqual(Set(train.indices).union(validation.indices), Set(0..<60))
        XCTAssertEqual(train.indices, train.indices.sorted())
        for index in 0..<validation.count {
            XCTAssertEqual(validation.text(at: index), texts.text(at: validation.indices[index]))
            XCTAssertEqual(validation.sampleName(at: index), "\(path):\(validation.indices[index] + 2)")
        }
        XCTAssertEqual(try texts.split(validationFraction: 0.2, seed: 5).validation.indices, validation.indices)
        XCTAssertNotEqual(try texts.split(validationFraction: 0.2, seed: 6).validation.indices, validation.indices)
        XCTAssertThrowsError(try texts.split(validationFraction: 1, seed: 5))

        // A subset is a text dataset a loader takes like any other.
        let loader = try TextLoader(dataset: validation, tokenizer: WordTokenizer(), batchSize: 4, shuffle: false)
        XCTAssertEqual(loader.sampleCount, 12)
        XCTAssertEqual((0..<12).map(loader.label(at:)), validation.labels)
    }
}
