import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// `Models`: names matched ignoring case and `-` versus `_` (without underscores when that fits one model); architectures registered at run time built like the built-in
/// ones; taken or empty names, unknown names and builders whose model has another name refused with clear errors.
final class ModelRegistryTests: XCTestCase {
    func testNamesMatchIgnoringCaseDashesAndUnderscores() throws {
        XCTAssertEqual(try Models.make("ResNet-18", numClasses: 3).name, "resnet18")
        XCTAssertEqual(try Models.make("mobilenetv2").name, "mobilenet_v2")
        XCTAssertEqual(Models.architecture(named: "EfficientNet-Lite0")?.name, "efficientnet_lite0")
        XCTAssertEqual(Models.architecture(named: "regnet-y-1-6gf")?.name, "regnet_y_1_6gf")
        XCTAssertEqual(Models.architecture(named: "regnet_y_16gf")?.name, "regnet_y_16gf")
        XCTAssertNil(Models.architecture(named: "regnety16gf"), "fits regnet_y_16gf and regnet_y_1_6gf without underscores")
        for name in Models.builtInNames { XCTAssertEqual(Models.architecture(named: name)?.name, name, "no two built-in names collide") }
        XCTAssertNil(Models.architecture(named: "vgg16"))
        XCTAssertThrowsError(try Models.make("vgg16")) { error in
            XCTAssertTrue("\(error)".contains("unknown model 'vgg16'; choose one of resnet18, "), "\(error)")
        }
    }

    func testARegisteredArchitectureIsBuiltByName() throws {
        let name = "registry_test_resnet18_\(UInt32.random(in: 0...UInt32.max))"
        try Models.register(Architecture(name) { try ResNet(name: name, kind: .basic, blocks: [1, 1, 1, 1], numClasses: $0) })
        XCTAssertEqual(Models.names.last, name, "listed after the built-in ones")
        let model = try Models.make(name.uppercased(), numClasses: 4)
        XCTAssertEqual(model.name, name)
        XCTAssertEqual(model.classifier.outFeatures, 4)
        XCTAssertEqual(model.layerGroups.last?.name, "head")
        XCTAssertThrowsError(try Models.register(Architecture(name.uppercased().replacingOccurrences(of: "_", with: "-")) { try Models.make("resnet18", numClasses: $0) })) { error in
            XCTAssertTrue("\(error)".contains("an architecture named '\(name)' is already registered"), "\(error)")
        }
        XCTAssertThrowsError(try Models.register(Architecture("resnet_18") { try Models.make("resnet18", numClasses: $0) }), "a built-in name")
        XCTAssertThrowsError(try Models.register(Architecture("-_") { try Models.make("resnet18", numClasses: $0) })) { error in
            XCTAssertTrue("\(error)".contains("needs a name"), "\(error)")
        }
    }

    func testABuilderWhoseModelHasAnotherNameIsRefused() throws {
        let name = "registry_test_misnamed_\(UInt32.random(in: 0...UInt32.max))"
        try Models.register(Architecture(name) { try Models.make("resnet18", numClasses: $0) })
        XCTAssertThrowsError(try Models.make(name)) { error in
            XCTAssertTrue("\(error)".contains("made a model named 'resnet18'"), "\(error)")
        }
    }
}
