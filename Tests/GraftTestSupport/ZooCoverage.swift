import Foundation
import GraftModels
import XCTest

/// How much of the model zoo a test covers: one model per family in `make test`, every registered model in the slow
/// suite (`GRAFT_SLOW_TESTS=1 make test`), which builds and runs models of up to 300 M parameters.
public enum ZooCoverage {
    /// Whether the slow suite was asked for.
    public static var isSlowSuite: Bool { ProcessInfo.processInfo.environment["GRAFT_SLOW_TESTS"] == "1" }

    /// Skips the calling test, naming what it covers, unless the slow suite was asked for: the one skip the suite
    /// allows, because the slow suite is opt-in.
    public static func requireSlowSuite(_ covering: String) throws {
        guard isSlowSuite else { throw XCTSkip("slow suite for \(covering): set GRAFT_SLOW_TESTS=1") }
    }

    /// The smallest model of each family.
    public static let familyRepresentatives = [
        "resnet18", "resnext50_32x4d", "densenet121", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_lite0", "efficientnet_b0",
        "efficientnet_v2_s", "convnext_tiny",
        "regnet_y_400mf", "regnet_x_400mf", "vit_b_32", "swin_t",
    ]

    /// The built-in models a zoo-wide sweep covers in this run.
    public static var sweptNames: [String] { isSlowSuite ? Models.builtInNames : familyRepresentatives }
}
