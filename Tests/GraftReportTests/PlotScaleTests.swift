import XCTest

@testable import GraftReport

/// Tick choice and labelling of plot axes.
final class PlotScaleTests: XCTestCase {
    func testLinearTicksAreRound() {
        let scale = PlotScale(covering: [0.13, 1.07], kind: .linear)
        XCTAssertEqual(scale.ticks.map(scale.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0", "1.2"])
        XCTAssertEqual(scale.fraction(0), 0)
        XCTAssertEqual(scale.fraction(1.2) ?? 0, 1, accuracy: 1e-12)
        let quarter = PlotScale(covering: [0, 12], kind: .linear)
        XCTAssertEqual(quarter.ticks.map(quarter.label), ["0.0", "2.5", "5.0", "7.5", "10.0", "12.5"])
    }

    func testEpochAxisUsesWholeNumbers() {
        let scale = PlotScale(covering: [1, 2, 3], kind: .linear, integerTicks: true)
        XCTAssertEqual(scale.ticks.map(scale.label), ["1", "2", "3"])
        let single = PlotScale(covering: [1], kind: .linear, integerTicks: true)
        XCTAssertEqual(single.ticks.map(single.label), ["0", "1", "2"])
    }

    func testLogScaleForLearningRates() {
        let scale = PlotScale(covering: [3e-5, 1e-3], kind: .logarithmic)
        XCTAssertEqual(scale.ticks.map(scale.label), ["1e-5", "1e-4", "1e-3"])
        XCTAssertEqual(scale.fraction(1e-4) ?? 0, 0.5, accuracy: 1e-12)
        XCTAssertNil(scale.fraction(0))
        let withZero = PlotScale(covering: [0, 1e-3], kind: .logarithmic)
        XCTAssertEqual(withZero.kind, .linear, "a zero lr cannot be shown on a log axis")
    }

    func testDegenerateInputStaysFinite() {
        for values in [
            [], [Double.nan], [5, 5], [-1e300, 1e300], [-.greatestFiniteMagnitude, .greatestFiniteMagnitude],
        ] as [[Double]] {
            let scale = PlotScale(covering: values, kind: .linear)
            XCTAssertTrue(scale.lower.isFinite && scale.upper.isFinite && scale.upper > scale.lower, "\(values)")
            XCTAssertFalse(scale.ticks.isEmpty)
        }
    }
}
