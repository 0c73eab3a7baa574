import Foundation
@testable import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
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

    /// torchvision's parameter count of every registered architecture.
    static let parameterCounts = [
        "resnet18": 11_689_512, "resnet34": 21_797_672, "resnet50": 25_557_032, "mobilenet_v2": 3_504_872,
        "mobilenet_v3_small": 2_542_856, "mobilenet_v3_large": 5_483_032, "efficientnet_lite0": 4_652_008,
        "resnet101": 44_549_160, "resnet152": 60_192_808, "resnext50_32x4d": 25_028_904, "resnext101_32x8d": 88_791_336,
        "resnext101_64x4d": 83_455_272, "wide_resnet50_2": 68_883_240, "wide_resnet101_2": 126_886_696,
        "densenet121": 7_978_856, "densenet161": 28_681_000, "densenet169": 14_149_480, "densenet201": 20_013_928,
        "convnext_tiny": 28_589_128, "convnext_small": 50_223_688, "convnext_base": 88_591_464, "convnext_large": 197_767_336,
        "regnet_y_400mf": 4_344_144, "regnet_y_800mf": 6_432_512, "regnet_y_1_6gf": 11_202_430, "regnet_y_3_2gf": 19_436_338,
        "regnet_y_8gf": 39_381_472, "regnet_y_16gf": 83_590_140, "regnet_y_32gf": 145_046_770,
        "regnet_x_400mf": 5_495_976, "regnet_x_800mf": 7_259_656, "regnet_x_1_6gf": 9_190_136, "regnet_x_3_2gf": 15_296_552,
        "regnet_x_8gf": 39_572_648, "regnet_x_16gf": 54_278_536, "regnet_x_32gf": 107_811_560,
        "efficientnet_lite1": 5_416_680, "efficientnet_lite2": 6_092_072,
        "efficientnet_b0": 5_288_548, "efficientnet_b1": 7_794_184, "efficientnet_b2": 9_109_994, "efficientnet_b3": 12_233_232,
        "efficientnet_b4": 19_341_616, "efficientnet_b5": 30_389_784, "efficientnet_b6": 43_040_704, "efficientnet_b7": 66_347_960,
        "efficientnet_v2_s": 21_458_488, "efficientnet_v2_m": 54_139_356, "efficientnet_v2_l": 118_515_272,
        "vit_b_16": 86_567_656, "vit_b_32": 88_224_232, "vit_l_16": 304_326_632, "vit_l_32": 306_535_400,
        "swin_t": 28_288_354, "swin_s": 49_606_258, "swin_b": 87_768_224,
    ]

    func testEveryBuiltInArchitectureHasItsPublishedParameterCount() {
        XCTAssertEqual(Set(BuiltInArchitectures.all.map(\.name)), Set(Self.parameterCounts.keys), "a count for every built-in architecture, none for others")
    }

    /// One model built per family (every model in the slow suite): torchvision's parameter count, layer groups from
    /// `stem` to `head` covering each parameter exactly once, the staged forward (each stage, then `pool` and
    /// `classify`, as the feature cache runs them) equal to the plain one, and a new head that renames nothing and
    /// leaves every tensor outside the classifier as it was.
    func testCountsGroupsStagesAndHeadReplacement() throws {
        for name in ZooCoverage.sweptNames {
            Engine.manualSeed(5)
            let model = try Models.make(name)
            XCTAssertEqual(model.parameterCount(), Self.parameterCounts[name], name)

            let groups = model.layerGroups
            XCTAssertEqual(groups.first?.name, "stem", name)
            XCTAssertEqual(groups.last?.name, "head", name)
            XCTAssertEqual(model.stageCount, groups.count - 1, name)
            for (parameter, _) in model.namedParameters() {
                XCTAssertEqual(groups.filter { $0.contains(parameter) }.count, 1, "\(name): \(parameter)")
            }

            model.eval()
            let input = try Tensor.randn([2, 3, 64, 64])
            let plain = try withNoGrad { try model(input) }
            let staged = try withNoGrad {
                var x = input
                for index in 0..<model.stageCount { x = try model.stage(index, x) }
                return try model.classify(features: model.pool(x))
            }
            XCTAssertEqual(plain.shape, [2, 1000], name)
            XCTAssertLessThan(try maxAbsDifference(staged, plain), 1e-5 * max(try plain.abs().max().item(), 1), "\(name): staged forward")

            let before = try model.stateDict().map { ($0.0, try $0.1.clone()) }
            let classifier = model.pretrainedConfig.classifierName
            try model.replaceHead(numClasses: 7)
            let after = Dictionary(model.stateDict(), uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(model.stateDict().map(\.0), before.map(\.0), name)
            for (key, tensor) in before where !key.hasPrefix(classifier + ".") {
                XCTAssertEqual(try maxAbsDifference(XCTUnwrap(after[key]), tensor), 0, "\(name): \(key) changed with the head")
            }
            XCTAssertEqual(after[classifier + ".weight"]?.shape.first, 7, name)
            XCTAssertEqual(model.classifier.outFeatures, 7)
            XCTAssertEqual(model.pretrainedConfig.numClasses, 7)
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
