import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// A model moved or converted with `Module.to` keeps everything it creates later in the same place.
final class ModelDeviceTests: XCTestCase {
    func testAReplacedHeadJoinsTheModelsDeviceAndDtype() throws {
        let model = try Models.make("mobilenet_v2")
        try model.to(.float64)
        try model.replaceHead(numClasses: 3)
        XCTAssertEqual(model.classifier.weight.dtype, .float64)
        model.eval()
        let out = try withNoGrad { try model(Tensor.randn([1, 3, 32, 32], dtype: .float64)) }
        XCTAssertEqual(out.dtype, .float64)

        try model.to(.meta)
        try model.replaceHead(numClasses: 5)
        XCTAssertEqual(model.classifier.weight.device, .meta)
        XCTAssertEqual(try model.device, .meta)
    }
}
