import Foundation
import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// Names, shapes, printouts, layer groups and head replacement of the model zoo.
final class ArchitectureTests: XCTestCase {
    static let printouts: [String: String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GraftNNTests/Fixtures/nn.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
    }()

    func testPrintoutsEqualTorchvisions() throws {
        XCTAssertEqual(try Models.make("resnet18").description, try XCTUnwrap(Self.printouts["resnet18"]))
        XCTAssertEqual(try Models.make("mobilenet_v2").description, try XCTUnwrap(Self.printouts["mobilenet_v2"]))
    }

    func testParameterCountsMatchThePublishedOnes() throws {
        let expected = [
            "resnet18": 11_689_512, "resnet34": 21_797_672, "resnet50": 25_557_032, "mobilenet_v2": 3_504_872,
            "mobilenet_v3_small": 2_542_856, "mobilenet_v3_large": 5_483_032, "efficientnet_lite0": 4_652_008,
            "vit_b_16": 86_567_656, "vit_b_32": 88_224_232, "vit_l_16": 304_326_632, "vit_l_32": 306_535_400,
            "swin_t": 28_288_354, "swin_s": 49_606_258, "swin_b": 87_768_224,
        ]
        for (name, count) in expected {
            XCTAssertEqual(try Models.make(name).parameterCount(), count, name)
        }
    }

    func testLayerGroupsCoverEveryParameterExactlyOnce() throws {
        for name in Models.names {
            let model = try Models.make(name)
            let groups = model.layerGroups
            XCTAssertEqual(groups.first?.name, "stem", name)
            XCTAssertEqual(groups.last?.name, "head", name)
            for (parameter, _) in model.namedParameters() {
                XCTAssertEqual(groups.filter { $0.contains(parameter) }.count, 1, "\(name): \(parameter)")
            }
        }
    }

    func testReplaceHeadKeepsInFeaturesAndRenamesNothing() throws {
        for name in Models.names {
            let model = try Models.make(name)
            let keys = model.stateDict().map(\.0)
            try model.replaceHead(numClasses: 7)
            XCTAssertEqual(model.stateDict().map(\.0), keys, name)
            XCTAssertEqual(model.classifier.outFeatures, 7)
            XCTAssertEqual(model.pretrainedConfig.numClasses, 7)
            model.eval()
            let out = try withNoGrad { try model(Tensor.randn([1, 3, 64, 64])) }
            XCTAssertEqual(out.shape, [1, 7], name)
        }
        XCTAssertThrowsError(try Models.make("vgg16")) { XCTAssertTrue("\($0)".contains("resnet18")) }
    }

    func testCheckpointWithThousandClassesLoadsIntoTenClassModelNonStrictly() throws {
        let source = try Models.make("resnet18")
        let target = try Models.make("resnet18", numClasses: 10)
        let report = try target.load(stateDict: source.stateDict(), strict: false)
        XCTAssertEqual(report.shapeMismatches.map(\.name), ["fc.weight", "fc.bias"])
        XCTAssertTrue(report.missing.isEmpty && report.unexpected.isEmpty)
        XCTAssertThrowsError(try target.load(stateDict: source.stateDict(), strict: true))
    }
}
