import Foundation
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// RegNet Y and X against torchvision 0.14 on seeded random weights (batch-norm statistics randomised; tolerances in
/// `TorchvisionParity`): the 400MF sizes in `make test`, 800MF to 32GF in the slow suite; the quantised stage settings
/// of every size; preprocessing and groups (staged forward and head: `ArchitectureTests`).
final class RegNetTests: XCTestCase {
    func testY400MFMatchesTorchvision() throws { try TorchvisionParity.check("regnet_y_400mf", fixtures: ModelFixtures.zoo("regnet")) }

    func testX400MFMatchesTorchvision() throws { try TorchvisionParity.check("regnet_x_400mf", fixtures: ModelFixtures.zoo("regnet")) }

    func testEveryOtherSizeMatchesTorchvision() throws {
        try ZooCoverage.requireSlowSuite("every RegNet but the two 400MF ones")
        for size in RegNet.Size.allCases where !size.rawValue.hasSuffix("400mf") {
            try TorchvisionParity.check("regnet_\(size.rawValue)", fixtures: ModelFixtures.zoo("regnet_all"))
        }
    }

    /// Depths, widths, group widths, bottleneck multipliers and squeeze-excitation ratio of every size equal
    /// torchvision's `BlockParams.from_init_params` (recorded in `regnet_block_params.json`).
    func testBlockParamsOfEverySizeEqualTorchvisions() throws {
        let data = try Data(contentsOf: ModelFixtures.file("regnet_block_params.json", from: ModelFixtures.zoo("regnet")))
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        XCTAssertEqual(Set(reference.keys), Set(RegNet.Size.allCases.map { "regnet_\($0.rawValue)" }))
        for size in RegNet.Size.allCases {
            let name = "regnet_\(size.rawValue)"
            let expected = try XCTUnwrap(reference[name])
            let params = try size.blockParams()
            XCTAssertEqual(params.depths, expected["depths"] as? [Int], name)
            XCTAssertEqual(params.widths, expected["widths"] as? [Int], name)
            XCTAssertEqual(params.groupWidths, expected["group_widths"] as? [Int], name)
            XCTAssertEqual(params.bottleneckMultipliers, expected["bottleneck_multipliers"] as? [Double], name)
            XCTAssertEqual(params.seRatio, expected["se_ratio"] as? Double, name)
        }
    }

    /// (Parameter counts are checked with the rest of the zoo's in `ArchitectureTests`.)
    func testConfigsAndGroupsFollowTorchvision() throws {
        // torchvision's DEFAULT weights of every size: IMAGENET1K_V2, resize 232, crop 224, bilinear.
        for name in ["regnet_y_400mf", "regnet_x_400mf"] {
            let model = try Models.make(name)
            XCTAssertEqual(model.name, name)
            XCTAssertEqual(model.pretrainedConfig, PretrainedConfig(resizeSize: 232, classifierName: "fc"))
        }
        let model = try Models.make("regnet_y_400mf")
        XCTAssertEqual(model.layerGroups, [
            LayerGroup("stem", ["stem"]), LayerGroup("stage1", ["trunk_output.block1"]), LayerGroup("stage2", ["trunk_output.block2"]),
            LayerGroup("stage3", ["trunk_output.block3"]), LayerGroup("stage4", ["trunk_output.block4"]), LayerGroup("head", ["fc"]),
        ])
        let names = model.namedParameters().map(\.0)
        for expected in ["stem.0.weight", "stem.1.weight", "trunk_output.block1.block1-0.proj.0.weight",
                         "trunk_output.block1.block1-0.f.a.0.weight", "trunk_output.block1.block1-0.f.b.0.weight",
                         "trunk_output.block1.block1-0.f.se.fc1.weight", "trunk_output.block4.block4-5.f.c.1.bias", "fc.weight"] {
            XCTAssertTrue(names.contains(expected), expected)
        }
        XCTAssertFalse(try Models.make("regnet_x_400mf").namedParameters().contains { $0.0.contains(".se.") })
    }
}
