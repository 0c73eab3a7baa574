import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// In-place ReLU and residual additions during inference must give exactly the out-of-place results, must not
/// touch tensors while gradients are recorded, and must never overwrite a tensor the caller passed in.
final class InPlaceInferenceTests: XCTestCase {
    let values: [Float] = [-2, -0.5, 0, 0.25, 3, 7]

    func testReLUAndReLU6LeaveTheCallersTensorAloneDuringInference() throws {
        for (name, layer, expected) in [("ReLU", ReLU() as Module, [0, 0, 0, 0.25, 3, 7] as [Float]),
                                        ("ReLU6", ReLU6(), [0, 0, 0, 0.25, 3, 6])] {
            let input = try Tensor(values, shape: [2, 3])
            let output = try withNoGrad { try Sequential([layer, Flatten()])(input) }
            XCTAssertEqual(try output.floats(), expected, name)
            XCTAssertEqual(try input.floats(), values, "\(name) as a Sequential's first layer overwrote the caller's input")
        }
    }

    func testInPlaceReLUOverwritesItsInputOnlyWithoutGradientRecording() throws {
        for (name, layer, expected) in [("ReLU", ReLU(inPlace: true) as Module, [0, 0, 0, 0.25, 3, 7] as [Float]),
                                        ("ReLU6", ReLU6(inPlace: true), [0, 0, 0, 0.25, 3, 6])] {
            let input = try Tensor(values, shape: [6])
            XCTAssertEqual(try layer(input).floats(), expected, name)
            XCTAssertEqual(try input.floats(), values, "\(name): with gradients on the input is left alone")
            XCTAssertEqual(try withNoGrad { try layer(input) }.floats(), expected, name)
            XCTAssertEqual(try input.floats(), expected, "\(name): during inference the input is reused")
        }
    }

    func testResNetInferenceEqualsTheOutOfPlacePathExactly() throws {
        for name in [
            "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_lite0", "efficientnet_b0",
            "efficientnet_v2_s",
        ] {
            Engine.manualSeed(21)
            let model = try Models.make(name, numClasses: 10)
            model.eval()
            model.usesChannelsLast = false
            model.setBatchNormFolding(false)  // folding changes rounding; BatchNormFoldingTests covers it
            let input = try Tensor.randn([2, 3, 64, 64])
            let pixels = try input.floats()
            let reference = try model(input)  // gradient recording on: out-of-place
            let inPlace = try withNoGrad { try model(input) }
            XCTAssertEqual(try input.floats(), pixels, "\(name): inference overwrote the caller's input")
            XCTAssertEqual(try inPlace.floats(), try reference.floats(), "\(name): in-place inference changed the logits")
        }
    }
}
