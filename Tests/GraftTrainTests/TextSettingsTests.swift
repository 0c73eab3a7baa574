import Foundation
import GraftData
import GraftText
import GraftTrain
import XCTest

/// The text dataset settings: defaults, older checkpoints, validation by name, and how they read a file.
final class TextSettingsTests: XCTestCase {
    func testSettingsSavedBeforeTextColumnsExistedDecodeWithTheDefaults() throws {
        let old = #"{"epochs":9,"batchSize":16}"#
        let settings = try JSONDecoder().decode(FineTuneSettings.self, from: Data(old.utf8))
        XCTAssertEqual(settings.textColumn, "text")
        XCTAssertEqual(settings.labelColumn, "label")
        let custom = FineTuneSettings(textColumn: "review", labelColumn: "stars")
        XCTAssertEqual(try JSONDecoder().decode(FineTuneSettings.self, from: JSONEncoder().encode(custom)), custom)
    }

    func testBlankOrEqualColumnsAreRefusedByName() {
        let cases: [(FineTuneSettings, String, String)] = [
            (FineTuneSettings(textColumn: " "), "textColumn", "textColumn must name a column (got ' ')"),
            (FineTuneSettings(labelColumn: ""), "labelColumn", "labelColumn must name a column (got '')"),
            (FineTuneSettings(textColumn: "body", labelColumn: "body"), "labelColumn", "labelColumn must differ from the text column (both are 'body')"),
        ]
        for (settings, name, message) in cases {
            XCTAssertThrowsError(try settings.validate()) { error in
                guard case TrainingError.invalidSetting(let setting, let text) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(setting, name)
                XCTAssertEqual(text, message)
            }
        }
        XCTAssertNoThrow(try FineTuneSettings(textColumn: "body", labelColumn: "topic").validate())
    }

    func testReadingOptionsFollowTheSettings() throws {
        let path = NSTemporaryDirectory() + "graft-text-settings-\(UUID().uuidString).csv"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try "topic,body\nsport,goal\nnews,\"vote, count\"\nnews,\n".write(toFile: path, atomically: true, encoding: .utf8)
        let settings = FineTuneSettings(textColumn: "body", labelColumn: "topic")
        let texts = try LabeledTexts(contentsOf: path, options: settings.textReadingOptions())
        XCTAssertEqual(texts.classes, ["news", "sport"])
        XCTAssertEqual(texts.count, 2)
        XCTAssertEqual(texts.skipped.count, 1)
        var stopping = settings
        stopping.skipBadImages = false
        XCTAssertThrowsError(try LabeledTexts(contentsOf: path, options: stopping.textReadingOptions())) {
            XCTAssertEqual($0 as? DataError, .invalidLabelFile(path: path, line: 4, reason: "empty text"))
        }
        XCTAssertEqual(settings.textReadingOptions(classes: ["a", "b"]).classes, ["a", "b"])
    }
}
