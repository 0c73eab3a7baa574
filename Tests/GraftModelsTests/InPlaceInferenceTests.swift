import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// In-place ReLU and residual additions during inference must give exactly the out-of-place results, and must not
/// touch tensors while gradients are recorded.
final class InPlaceInferenceTests: XCTestCase {
    func testReLUOverwritesItsInputOnlyWithoutGradientRecording() throws {
        let values: [Float] = [-2, -0.5, 0, 0.25, 3]
        let input = try Tensor(values, shape: [5])
        let recorded = try ReLU()(input)
        XCTAssertEqual(try input.floats(), values, "with gradients on the input is left alone")
        XCTAssertEqual(try recorded.floats(), [0, 0, 0, 0.25, 3])
        let inferred = try withNoGrad { try ReLU()(input) }
        XCTAssertEqual(try inferred.floats(), [0, 0, 0, 0.25, 3])
        XCTAssertEqual(try input.floats(), [0, 0, 0, 0.25, 3], "during inference the input is reused")
    }

    func testResNetInferenceEqualsTheOutOfPlacePathExactly() throws {
        for name in ["resnet18", "resnet50", "mobilenet_v2"] {
            Engine.manualSeed(21)
            let model = try Models.make(name, numClasses: 10)
            model.eval()
            model.usesChannelsLast = false
            model.setBatchNormFolding(false)  // folding changes rounding; BatchNormFoldingTests covers it
            let input = try Tensor.randn([2, 3, 64, 64])
            let reference = try model(input)  // gradient recording on: out-of-place
            let inPlace = try withNoGrad { try model(input) }
            XCTAssertEqual(try inPlace.floats(), try reference.floats(), "\(name): in-place inference changed the logits")
        }
    }
}
