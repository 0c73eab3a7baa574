import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// Every kind of layer the zoo uses runs under bfloat16 autocast — LayerNorm and ReLU6's backward included, which
/// libtorch 1.13 (and so PyTorch 1.13) rejects on the CPU in bfloat16 — in evaluation and in a training step: pooled features
/// within bfloat16's rounding of float32's (8e-2 of the largest value for deep networks of random weights: 0.4–1.3% on an
/// AMX Xeon, up to 5.8% for ViT-B/32's twelve layers on an AVX2-only EPYC, whose bfloat16 matmuls and convolutions take
/// libtorch's generic kernels; features, because torchvision's ViT head starts at zero) and finite float32 gradients
/// for every trained parameter.
final class AutocastArchitectureTests: XCTestCase {
    func testImageArchitectures() throws {
        for (name, size) in [("convnext_tiny", 64), ("swin_t", 64), ("vit_b_32", 224), ("mobilenet_v2", 64), ("efficientnet_lite0", 64)] {
            Engine.manualSeed(3)
            try check(name, model: Models.make(name, numClasses: 10), input: Tensor.randn([2, 3, size, size]))
        }
    }

    func testBert() throws {
        Engine.manualSeed(3)
        let configuration = try BertConfiguration(vocabSize: 40, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4,
                                                  intermediateSize: 64, maxPositionEmbeddings: 16)
        let classifier = try TextClassifier(name: "tiny_bert", encoder: BertEncoder(configuration), pooling: .mean, numClasses: 3)
        let ids: [Int64] = [2, 7, 9, 3, 2, 5, 3, 0], mask: [Int64] = [1, 1, 1, 1, 1, 1, 1, 0]
        let packed = try TextClassifier.pack(ids: Tensor(ids, shape: [2, 4]), typeIds: Tensor.zeros([2, 4], dtype: .int64),
                                             mask: Tensor(mask, shape: [2, 4]))
        try check("bert", model: classifier, input: packed)
    }

    func check(_ name: String, model: Classifier, input: Tensor, file: StaticString = #filePath, line: UInt = #line) throws {
        model.eval()
        let float32 = try withNoGrad { try model.features(model.backboneInput(input)) }
        let bfloat16 = try withNoGrad { try withAutocast(.bfloat16, on: .cpu) { try model.features(model.backboneInput(input)) } }
        let error = try maxAbsDifference(bfloat16.to(.float32), float32) / float32.abs().max().item()
        XCTAssertGreaterThan(error, 0, "\(name): bfloat16 rounds", file: file, line: line)
        XCTAssertLessThan(error, 8e-2, "\(name) bf16 eval features", file: file, line: line)
        let logits = try withNoGrad { try withAutocast(.bfloat16, on: .cpu) { try model(input) } }
        XCTAssertEqual(logits.dtype, .bfloat16, "\(name): the head's Linear runs in bfloat16", file: file, line: line)
        model.train()
        let trainLogits = try withAutocast(.bfloat16, on: .cpu) { try model(input) }
        try trainLogits.to(.float32).crossEntropy(targets: Tensor([Int64(1), 2])).backward()
        for (parameter, tensor) in model.namedParameters() {
            let grad = try XCTUnwrap(tensor.grad, "\(name): no gradient for \(parameter)", file: file, line: line)
            XCTAssertEqual(grad.dtype, .float32, "\(name) d/d\(parameter)", file: file, line: line)
            XCTAssertTrue(try grad.isFinite(), "\(name) d/d\(parameter)", file: file, line: line)
        }
        print("autocast bf16 \(name): eval features within \(error) of float32's")
    }
}
