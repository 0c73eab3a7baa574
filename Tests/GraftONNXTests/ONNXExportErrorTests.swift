import Foundation
import GraftModels
import GraftNN
import GraftONNX
import GraftTensor
import GraftTestSupport
import XCTest

/// A forward pass the exporter cannot translate faithfully is refused by name, and nothing is written.
final class ONNXExportErrorTests: XCTestCase {
    /// An image classifier whose features keep each channel's largest value: `topk` has no ONNX translation here.
    final class TopValueNet: ImageClassifier {
        init() throws {
            super.init(name: "top_value_net", pretrainedConfig: PretrainedConfig(inputSize: 8, resizeSize: 8, classifierName: "classifier", numClasses: 2),
                       classifier: try Linear(3, 2))
        }

        override var namedChildren: [(String, Module)] { [("classifier", classifier)] }

        override func features(_ input: Tensor) throws -> Tensor {
            try input.flatten(start: 2).topk(1, dim: 2).values.flatten(start: 1)
        }
    }

    func testUnsupportedOperationIsNamedWithTheArchitecture() throws {
        let file = URL(fileURLWithPath: try makeTemporaryDirectory(self)).appendingPathComponent("model.onnx")
        let model = try TopValueNet()
        XCTAssertThrowsError(try ONNXExporter.export(model, classNames: ["a", "b"], preprocessing: model.pretrainedConfig, to: file)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("'topk'") && message.contains("top_value_net"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path))
    }

    func testClassNamesMustMatchTheOutputs() throws {
        let file = URL(fileURLWithPath: try makeTemporaryDirectory(self)).appendingPathComponent("model.onnx")
        let model = try Models.make("resnet18", numClasses: 3)
        var preprocessing = model.pretrainedConfig
        preprocessing.inputSize = 32
        XCTAssertThrowsError(try ONNXExporter.export(model, classNames: ["a", "b"], preprocessing: preprocessing, to: file)) { error in
            XCTAssertTrue("\(error)".contains("3 outputs but 2 class names"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path))
    }

    /// Export leaves the model as it found it: training mode and batch-norm folding restored.
    func testExportRestoresTheModelsModes() throws {
        let file = URL(fileURLWithPath: try makeTemporaryDirectory(self)).appendingPathComponent("model.onnx")
        let model = try Models.make("resnet18", numClasses: 2)
        model.train()
        var preprocessing = model.pretrainedConfig
        preprocessing.inputSize = 32
        try ONNXExporter.export(model, classNames: ["a", "b"], preprocessing: preprocessing, to: file)
        XCTAssertTrue(model.isTraining)
        XCTAssertTrue(model.namedModules().compactMap { $0.1 as? BatchNorm2d }.allSatisfy(\.foldsIntoConvolution))
        XCTAssertGreaterThan(try Data(contentsOf: file).count, 40_000_000)
    }
}
