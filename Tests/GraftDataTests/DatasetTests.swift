import Foundation
import GraftTestSupport
import XCTest
@testable import GraftData

final class DatasetTests: XCTestCase {
    func testImageFolderOrderingMatchesTorchvision() throws {
        let fixtures = try ReferenceFixtures.load()
        let root = fixtures.path("folder")
        let dataset = try ImageFolder(root: root)
        XCTAssertEqual(dataset.classes, fixtures.imageFolderClasses)
        XCTAssertEqual(dataset.samples.map { String($0.path.dropFirst(root.count + 1)) }, fixtures.imageFolderSamples.map(\.path))
        XCTAssertEqual(dataset.samples.map(\.label), fixtures.imageFolderSamples.map(\.label))
        XCTAssertEqual(dataset.classToIndex["ä"], dataset.classes.count - 1)
        XCTAssertEqual(try dataset.loadImage(at: 0, minimumShorterSide: nil).width, 64)
    }

    func testImageFolderLayoutErrors() throws {
        let root = try makeTemporaryDirectory(self)
        XCTAssertThrowsError(try ImageFolder(root: root + "/missing")) { error in
            guard case DataError.unreadableDirectory(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, root + "/missing")
        }
        try writeFile(root + "/loose.jpg", [1])
        XCTAssertThrowsError(try ImageFolder(root: root)) { XCTAssertTrue("\($0)".contains("no class folders"), "\($0)") }
        try writeFile(root + "/cat/1.jpg", [1])
        try writeFile(root + "/dog/readme.txt", [1])
        XCTAssertThrowsError(try ImageFolder(root: root)) { error in
            XCTAssertEqual("\(error)".hasPrefix("`\(root)/dog`: class folder contains no image files"), true, "\(error)")
        }
    }

    func testImageFolderFollowsSymlinksWithoutLooping() throws {
        let root = try makeTemporaryDirectory(self)
        try writeFile(root + "/cat/a.png", [0])
        try writeFile(root + "/elsewhere/b.jpg", [0])
        try FileManager.default.createSymbolicLink(atPath: root + "/cat/loop", withDestinationPath: root + "/cat")
        try FileManager.default.createSymbolicLink(atPath: root + "/dog", withDestinationPath: root + "/elsewhere")
        let dataset = try ImageFolder(root: root)
        XCTAssertEqual(dataset.classes, ["cat", "dog", "elsewhere"])
        XCTAssertEqual(dataset.samples.map(\.path), [root + "/cat/a.png", root + "/dog/b.jpg", root + "/elsewhere/b.jpg"])
    }

    func testLabeledFilesWithHeaderQuotesAndClassNames() throws {
        let root = try makeTemporaryDirectory(self)
        for name in ["a.jpg", "b, c.png", "d.png"] { try writeFile(root + "/img/" + name, [0]) }
        try writeFile(root + "/labels.csv", Array("filename,label\r\na.jpg,dog\r\n\"b, c.png\" , cat \r\n\nd.png,\"dog\"\r\n".utf8))
        let dataset = try LabeledFiles(labelFile: root + "/labels.csv", imageDirectory: root + "/img")
        XCTAssertEqual(dataset.classes, ["cat", "dog"])
        XCTAssertEqual(dataset.samples, [LabeledFile(path: root + "/img/a.jpg", label: 1),
                                         LabeledFile(path: root + "/img/b, c.png", label: 0),
                                         LabeledFile(path: root + "/img/d.png", label: 1)])
    }

    func testLabeledFilesTSVWithIndicesAndGivenClasses() throws {
        let root = try makeTemporaryDirectory(self)
        for name in ["x.png", "y.png"] { try writeFile(root + "/" + name, [0]) }
        try writeFile(root + "/labels.tsv", Array("x.png\t2\ny.png\t0\n".utf8))
        let numeric = try LabeledFiles(labelFile: root + "/labels.tsv", imageDirectory: root)
        XCTAssertEqual(numeric.classes, ["0", "1", "2"])
        XCTAssertEqual(numeric.samples.map(\.label), [2, 0])
        let named = try LabeledFiles(labelFile: root + "/labels.tsv", imageDirectory: root, classes: ["bird", "cat", "dog"])
        XCTAssertEqual(named.samples.map(\.label), [2, 0])
    }

    func testLabeledFilesReportFileAndLine() throws {
        let root = try makeTemporaryDirectory(self)
        try writeFile(root + "/a.png", [0])
        let cases: [(String, Int, String)] = [
            ("file,label\na.png,cat\na.png,bird\n", 3, "unknown label `bird`"),
            ("a.png,0\nmissing.png,0\n", 2, "does not exist"),
            ("a.png,0\na.png\n", 2, "got 1 field"),
            ("a.png,0\n\"a.png,0\n", 2, "unterminated"),
        ]
        for (text, line, fragment) in cases {
            try writeFile(root + "/labels.csv", Array(text.utf8))
            let classes: [String]? = text.contains("cat") ? ["cat", "dog"] : nil
            XCTAssertThrowsError(try LabeledFiles(labelFile: root + "/labels.csv", imageDirectory: root, classes: classes)) { error in
                guard case DataError.invalidLabelFile(let path, let actualLine, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, root + "/labels.csv")
                XCTAssertEqual(actualLine, line, text)
                XCTAssertTrue(reason.contains(fragment), reason)
            }
        }
    }

    func testFashionMNISTCountsAndFirstLabels() throws {
        let directory = "/usr/share/datasets/fashion-mnist"
        guard FileManager.default.fileExists(atPath: directory + "/t10k-labels-idx1-ubyte.gz") else {
            throw Prerequisite.missing("\(directory) missing (Debian dataset-fashion-mnist): IDX test skipped")
        }
        let train = try IDXDataset(imagesPath: directory + "/train-images-idx3-ubyte.gz", labelsPath: directory + "/train-labels-idx1-ubyte.gz",
                                   classes: IDXDataset.fashionMNISTClasses)
        let test = try IDXDataset(imagesPath: directory + "/t10k-images-idx3-ubyte.gz", labelsPath: directory + "/t10k-labels-idx1-ubyte.gz")
        XCTAssertEqual(train.count, 60_000)
        XCTAssertEqual(test.count, 10_000)
        XCTAssertEqual((0..<10).map(train.label(at:)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        XCTAssertEqual((0..<10).map(test.label(at:)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        XCTAssertEqual(train.classes[9], "Ankle boot")
        let first = try train.loadImage(at: 0, minimumShorterSide: nil)
        XCTAssertEqual([first.width, first.height], [28, 28])
        XCTAssertEqual(first.pixels.enumerated().filter { $0.offset % 3 == 0 }.reduce(0) { $0 + Int($1.element) }, 76_247)
    }

    func testPlainIDXAndItsErrors() throws {
        let root = try makeTemporaryDirectory(self)
        let images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40]
        try writeFile(root + "/images", images)
        try writeFile(root + "/labels", [0, 0, 8, 1, 0, 0, 0, 2, 1, 0])
        let dataset = try IDXDataset(imagesPath: root + "/images", labelsPath: root + "/labels")
        XCTAssertEqual(dataset.classes, ["0", "1"])
        XCTAssertEqual(try dataset.loadImage(at: 1, minimumShorterSide: nil).pixels, [30, 30, 30, 40, 40, 40])

        try writeFile(root + "/short", Array(images.dropLast()))
        XCTAssertThrowsError(try IDXDataset(imagesPath: root + "/short", labelsPath: root + "/labels")) {
            XCTAssertTrue("\($0)".contains("at byte 19") && "\($0)".contains("need 4 data bytes"), "\($0)")
        }
        try writeFile(root + "/floats", [0, 0, 0x0D, 1, 0, 0, 0, 0])
        XCTAssertThrowsError(try IDXDataset(imagesPath: root + "/floats", labelsPath: root + "/labels")) {
            XCTAssertTrue("\($0)".contains("at byte 2"), "\($0)")
        }
        try writeFile(root + "/bad.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0x63, 0x60])
        XCTAssertThrowsError(try IDXDataset(imagesPath: root + "/bad.gz", labelsPath: root + "/labels")) {
            guard case DataError.invalidGzip = $0 else { return XCTFail("\($0)") }
        }
    }

    func testStratifiedSplitIsDeterministicAndProportional() throws {
        let labels = Array(repeating: 0, count: 10) + Array(repeating: 1, count: 20) + Array(repeating: 2, count: 5)
        let first = try StratifiedSplit.indices(labels: labels, validationFraction: 0.2, seed: 7)
        let again = try StratifiedSplit.indices(labels: labels, validationFraction: 0.2, seed: 7)
        let other = try StratifiedSplit.indices(labels: labels, validationFraction: 0.2, seed: 8)
        XCTAssertEqual(first.validation, again.validation)
        XCTAssertNotEqual(first.validation, other.validation)
        XCTAssertEqual((0...2).map { label in first.validation.filter { labels[$0] == label }.count }, [2, 4, 1])
        XCTAssertEqual(Set(first.train).union(first.validation), Set(labels.indices))
        XCTAssertTrue(Set(first.train).isDisjoint(with: first.validation))
        XCTAssertThrowsError(try StratifiedSplit.indices(labels: labels, validationFraction: 1, seed: 0))

        let parts = try SyntheticDataset(count: 9).split(validationFraction: 0.34, seed: 1)
        XCTAssertEqual(parts.train.count + parts.validation.count, 9)
        XCTAssertEqual(parts.validation.sampleName(at: 0), "synthetic/\(parts.validation.indices[0]).png")
    }

    func testDatasetCheckReportsCountsSizesProblemsDuplicatesAndImbalance() throws {
        let root = try makeTemporaryDirectory(self)
        let chelsea = try photoBytes("chelsea.png")
        try writeFile(root + "/cat/1.png", chelsea)
        try writeFile(root + "/cat/2.png", chelsea)
        try writeFile(root + "/cat/3.jpg", try photoBytes("truncated.jpg"))
        try writeFile(root + "/cat/4.jpg", Array("<html></html>".utf8))
        try writeFile(root + "/cat/5.jpg", [])
        try writeFile(root + "/dog/1.jpg", try photoBytes("rocket.jpg"))
        let report = DatasetCheck.run(try ImageFolder(root: root), source: root, workers: 2)
        XCTAssertEqual(report.classCounts.map(\.name), ["cat", "dog"])
        XCTAssertEqual(report.classCounts.map(\.count), [5, 1])
        XCTAssertEqual(report.widthRange, 451...640)
        XCTAssertEqual(report.heightRange, 300...427)
        XCTAssertEqual(report.unreadable.map(\.path), [root + "/cat/3.jpg", root + "/cat/4.jpg", root + "/cat/5.jpg"])
        XCTAssertEqual(report.unreadable[1].reason, "not a JPEG or PNG (first bytes 3C 68 74 6D)")
        XCTAssertEqual(report.duplicates, [[root + "/cat/1.png", root + "/cat/2.png"]])
        XCTAssertNotNil(report.imbalanceWarning)
        XCTAssertTrue(report.text.contains("unreadable files: 3") && report.text.contains("warning: class imbalance"), report.text)
    }
}
