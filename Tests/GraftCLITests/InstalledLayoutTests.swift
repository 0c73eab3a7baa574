import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// `make install`'s layout (PREFIX/bin/graft, PREFIX/share/graft/assets) finds the offline weights from any working
/// directory, and `graft doctor` prints the search order.
final class InstalledLayoutTests: XCTestCase {
    func testAnInstalledGraftFindsItsAssetsFromAnyDirectory() throws {
        guard let mobileNet = OfflineAsset.weights(for: "mobilenet_v2") else {
            throw Prerequisite.missing("the offline mobilenet_v2 weights are not installed (make setup)")
        }
        let photo = "/usr/lib/python3/dist-packages/skimage/data/chelsea.png"
        try Prerequisite.requireFile(photo, "Debian python3-skimage")
        let prefix = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-prefix")
        let program = prefix.appendingPathComponent("bin/graft")
        let relative = try XCTUnwrap(OfflineAsset.all.first { $0.model == "mobilenet_v2" }).relativePath
        let installedWeights = prefix.appendingPathComponent("share/graft/assets").appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: program.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: installedWeights.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.binary, to: program)
        try FileManager.default.copyItem(at: mobileNet.location, to: installedWeights)

        // From / with GRAFT_ASSETS empty, only the installed share directory can supply the weights.
        func graft(_ arguments: String) throws -> Subprocess.Result {
            try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "cd / && exec \(program.path) \(arguments)"],
                               environment: ["GRAFT_ASSETS": ""], timeLimit: 300)
        }
        let doctor = try graft("doctor")
        XCTAssertEqual(doctor.status, 0, doctor.errors)
        XCTAssertTrue(doctor.output.contains("asset search order"), doctor.output)
        XCTAssertTrue(doctor.output.contains("installed at \(installedWeights.path)"), doctor.output)
        let predict = try graft("predict --model mobilenet_v2 \(photo)")
        XCTAssertEqual(predict.status, 0, predict.errors)
        XCTAssertTrue(predict.output.contains("Egyptian cat") || predict.output.contains("tabby"), predict.output)
    }
}
