import GraftTensor
import GraftTrain
import XCTest

/// `GradientScaler` against PyTorch's `GradScaler` rules (`_amp_foreach_non_finite_check_and_unscale_` and
/// `_amp_update_scale_`): unscaling, skipped steps, backoff and growth.
final class GradientScalerTests: XCTestCase {
    func testDefaultsArePyTorchs() {
        let scaler = GradientScaler()
        XCTAssertEqual(scaler.scale, 65_536)
        XCTAssertEqual(scaler.growthFactor, 2)
        XCTAssertEqual(scaler.backoffFactor, 0.5)
        XCTAssertEqual(scaler.growthInterval, 2000)
    }

    func testScalingThenUnscalingGivesTheGradientsBack() throws {
        let scaler = try GradientScaler(initialScale: 1024)
        let weight = try Tensor.randn([5, 3]).requiresGrad_()
        let input = try Tensor.randn([4, 3])
        try input.linear(weight: weight).sum().backward()
        let plain = try XCTUnwrap(weight.grad).to(.float32)
        try weight.clearGrad()
        try scaler.scaled(input.linear(weight: weight).sum()).backward()
        XCTAssertEqual(try (XCTUnwrap(weight.grad) - plain * 1024.0).abs().max().item(), 0)
        XCTAssertTrue(try scaler.unscaleAndUpdate([XCTUnwrap(weight.grad)]))
        XCTAssertEqual(try (XCTUnwrap(weight.grad) - plain).abs().max().item(), 0, "a power-of-two scale unscales exactly")
        XCTAssertEqual(scaler.scale, 1024)
        XCTAssertEqual(scaler.growthTracker, 1)
    }

    func testOverflowSkipsTheStepAndBacksOff() throws {
        let scaler = try GradientScaler(initialScale: 8, growthInterval: 3)
        let good = try Tensor.randn([3]), bad = try Tensor(Array<Float>([1, .infinity, 2]))
        XCTAssertTrue(try scaler.unscaleAndUpdate([good]))
        XCTAssertFalse(try scaler.unscaleAndUpdate([good, bad]))
        XCTAssertEqual(scaler.scale, 4)
        XCTAssertEqual(scaler.growthTracker, 0, "an overflow restarts the count")
        XCTAssertEqual(scaler.skippedSteps, 1)
        XCTAssertFalse(try scaler.unscaleAndUpdate([try Tensor(Array<Float>([.nan]))]), "NaN counts as overflow")
        XCTAssertEqual(scaler.scale, 2)
        for _ in 0..<2 { XCTAssertTrue(try scaler.unscaleAndUpdate([good])) }
        XCTAssertEqual(scaler.scale, 2, "not yet grown after 2 of 3 good steps")
        XCTAssertTrue(try scaler.unscaleAndUpdate([good]))
        XCTAssertEqual(scaler.scale, 4, "grown after 3 good steps in a row")
        XCTAssertEqual(scaler.growthTracker, 0)
    }

    func testTheScaleItselfNeverGrowsToInfinity() throws {
        let scaler = try GradientScaler(initialScale: 2e38, growthInterval: 1)
        XCTAssertTrue(try scaler.unscaleAndUpdate([Tensor.zeros([2])]))
        XCTAssertEqual(scaler.scale, 2e38, "float32 cannot hold 4e38: the scale stays")
    }

    func testBadSettingsAreRefused() {
        XCTAssertThrowsError(try GradientScaler(initialScale: 0))
        XCTAssertThrowsError(try GradientScaler(initialScale: 1, growthFactor: 1))
        XCTAssertThrowsError(try GradientScaler(initialScale: 1, backoffFactor: 1))
        XCTAssertThrowsError(try GradientScaler(initialScale: 1, growthInterval: 0))
    }
}
