import Foundation
import GraftNN
import GraftTensor
import XCTest

/// A two-layer network for the module tests.
final class TinyNet: Module {
    let conv: Conv2d, bn: BatchNorm2d, head: Linear
    init(channels: Int = 4) throws {
        conv = try Conv2d(3, channels, kernelSize: 3, padding: 1, bias: false)
        bn = try BatchNorm2d(channels)
        head = try Linear(channels, 2)
        super.init()
    }
    override var namedChildren: [(String, Module)] { [("conv", conv), ("bn", bn), ("head", head)] }
    override func forward(_ input: Tensor) throws -> Tensor {
        try head(bn(conv(input)).relu().mean(dims: [2, 3]))
    }
}

final class ModuleTests: XCTestCase {
    struct Fixture: Decodable {
        let linear_weight: [Float], linear_bias: [Float], conv_weight: [Float], conv_bias: [Float]
        let resnet18: String, mobilenet_v2: String
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/nn.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testSeededDefaultInitialisationEqualsPyTorch() throws {
        let f = try Self.fixture()
        Engine.manualSeed(3)
        let linear = try Linear(8, 3)
        let conv = try Conv2d(4, 6, kernelSize: 3, groups: 2)
        XCTAssertEqual(try linear.weight.detached().scalars(as: Float.self), f.linear_weight)
        XCTAssertEqual(try XCTUnwrap(linear.bias).detached().scalars(as: Float.self), f.linear_bias)
        XCTAssertEqual(try conv.weight.detached().scalars(as: Float.self), f.conv_weight)
        XCTAssertEqual(try XCTUnwrap(conv.bias).detached().scalars(as: Float.self), f.conv_bias)
    }

    func testStateDictNamesAndOrderFollowPyTorch() throws {
        let names = try TinyNet(channels: 4).stateDict().map(\.0)
        XCTAssertEqual(names, [
            "conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
            "head.weight", "head.bias",
        ])
    }

    func testStrictLoadListsEveryProblemAndCopiesNothing() throws {
        let net = try TinyNet(channels: 4)
        let before = try net.head.weight.detached().clone()
        var entries = try TinyNet(channels: 4).stateDict()
        entries.removeAll { $0.0 == "bn.bias" }
        entries = entries.map { $0.0 == "head.weight" ? ($0.0, try! Tensor.zeros([10, 4])) : $0 }
        entries.append(("extra.weight", try Tensor.zeros([1])))
        XCTAssertThrowsError(try net.load(stateDict: entries, strict: true)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("missing from the checkpoint: bn.bias"), text)
            XCTAssertTrue(text.contains("not in the model: extra.weight"), text)
            XCTAssertTrue(text.contains("shape mismatch for head.weight: model [2, 4], checkpoint [10, 4]"), text)
        }
        XCTAssertTrue(try net.head.weight.detached().allClose(before, rtol: 0, atol: 0))
    }

    func testNonStrictLoadCopiesWhatFitsAndReportsTheRest() throws {
        let source = try TinyNet(channels: 4), target = try TinyNet(channels: 4)
        var entries = source.stateDict()
        entries.removeAll { $0.0.hasPrefix("head.") }
        let report = try target.load(stateDict: entries, strict: false)
        XCTAssertEqual(report.missing, ["head.weight", "head.bias"])
        XCTAssertEqual(report.loaded, 6)
        XCTAssertTrue(try target.conv.weight.detached().allClose(source.conv.weight.detached(), rtol: 0, atol: 0))
    }

    func testMissingBatchCounterIsToleratedLikePyTorch() throws {
        let entries = try TinyNet(channels: 4).stateDict().filter { !$0.0.hasSuffix("num_batches_tracked") }
        XCTAssertTrue(try TinyNet(channels: 4).load(stateDict: entries, strict: true).isExact)
    }

    func testFreezingByGlobPrefixAndModule() throws {
        let net = try TinyNet(channels: 4)
        XCTAssertEqual(net.parameterCount(), 108 + 8 + 10)
        try net.setTrainable(false, matching: "b*")
        XCTAssertEqual(net.parameterCount(trainableOnly: true), 108 + 10)
        try net.setTrainable(false, matching: "conv")
        XCTAssertEqual(net.parameterCount(trainableOnly: true), 10)
        XCTAssertEqual(net.parameterSummary, "trainable 10 of 126 parameters")
        try net.unfreeze()
        try net.head.freeze()
        XCTAssertEqual(net.parameterCount(trainableOnly: true), 116)
        XCTAssertThrowsError(try net.setTrainable(false, matching: "layer9.*")) { XCTAssertTrue("\($0)".contains("layer9")) }
        XCTAssertTrue(Glob("layer4.*").matches("layer4.1.bn2.weight"))
        XCTAssertFalse(Glob("layer4.*").matches("layer40"))
    }

    func testFrozenBatchNormKeepsItsRunningStatisticsInTrainingMode() throws {
        let net = try TinyNet(channels: 4)
        let input = try Tensor.randn([4, 3, 5, 5]) * 3.0 + 1.0
        try net.bn.freeze()
        net.train()
        _ = try net(input)
        XCTAssertEqual(try net.bn.runningMean.scalars(as: Float.self), [0, 0, 0, 0])
        XCTAssertEqual(try net.bn.numBatchesTracked.item(), 0)
        try net.bn.unfreeze()
        _ = try net(input)
        XCTAssertNotEqual(try net.bn.runningMean.scalars(as: Float.self), [0, 0, 0, 0])
        XCTAssertEqual(try net.bn.numBatchesTracked.item(), 1)
    }

    func testEvalModeReachesEveryDescendant() throws {
        let net = try TinyNet(channels: 4)
        net.eval()
        XCTAssertTrue(net.namedModules().allSatisfy { !$0.1.isTraining })
        net.train()
        XCTAssertTrue(net.namedModules().allSatisfy { $0.1.isTraining })
    }

    func testPrintoutFormat() throws {
        XCTAssertEqual(try Linear(512, 10).description, "Linear(in_features=512, out_features=10, bias=True)")
        XCTAssertEqual(try BatchNorm2d(64, eps: 1e-3, momentum: 0.01).description,
                       "BatchNorm2d(64, eps=0.001, momentum=0.01, affine=True, track_running_stats=True)")
        XCTAssertTrue(try TinyNet(channels: 4).description.hasPrefix("TinyNet(\n  (conv): Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)"))
    }
}
