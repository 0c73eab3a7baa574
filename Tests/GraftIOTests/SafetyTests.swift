import Foundation
import GraftTestSupport
import XCTest
@testable import GraftIO

/// Hostile pickles are refused by name and nothing they ask for ever runs.
final class SafetyTests: XCTestCase {
    private struct Payload {
        var module: String
        var name: String
        /// The argument that would create `marker` if executed.
        var argument: (String) -> String
    }

    private let payloads = [
        Payload(module: "os", name: "system") { "touch '\($0)'" },
        Payload(module: "posix", name: "system") { "touch '\($0)'" },
        Payload(module: "builtins", name: "eval") { "open('\($0)', 'w').close()" },
        Payload(module: "subprocess", name: "getoutput") { "touch '\($0)'" },
    ]

    func testMaliciousGlobalsAreRefusedAndNothingRuns() throws {
        // Without Python the live-payload proof cannot run: a visible skip of that part, a failure under
        // GRAFT_REQUIRE_REFERENCE=1; the refusal checks below run either way.
        let pythonAvailable = (try? TestSupport.requirePython(modules: ["pickle"])) != nil
        if !pythonAvailable {
            if Prerequisite.isRequired { XCTFail("/usr/bin/python3 is missing, so the payloads cannot be shown to be live (GRAFT_REQUIRE_REFERENCE=1)") }
            print("warning: /usr/bin/python3 is missing; the payloads are not shown to be live")
        }
        for payload in payloads {
            let directory = try TestSupport.temporaryDirectory()
            let marker = directory.appendingPathComponent("marker")
            let pickles = [
                CraftedFiles.callingPickle(module: payload.module, name: payload.name, argument: payload.argument(marker.path)),
                CraftedFiles.stackGlobalCallingPickle(module: payload.module, name: payload.name, argument: payload.argument(marker.path)),
            ]
            for pickle in pickles {
                if pythonAvailable {
                    // Prove the payload is live: Python's own unpickler runs it and creates the marker.
                    let payloadFile = directory.appendingPathComponent("payload.pkl")
                    try pickle.write(to: payloadFile)
                    _ = try TestSupport.runPython("import pickle, sys; pickle.loads(open(sys.argv[1], 'rb').read())", arguments: [payloadFile.path])
                    XCTAssertTrue(FileManager.default.fileExists(atPath: marker.path), "payload \(payload.module).\(payload.name) is not live")
                    try FileManager.default.removeItem(at: marker)
                }
                for (label, file) in [("zip", try CraftedFiles.zipCheckpoint(pickle: pickle)), ("legacy", CraftedFiles.legacyCheckpoint(pickle: pickle))] {
                    let url = directory.appendingPathComponent("evil-\(label).pth")
                    try file.write(to: url)
                    XCTAssertThrowsError(try CheckpointReader.read(contentsOf: url)) { error in
                        guard case .forbiddenGlobal(let module, let name, _)? = (error as? GraftIOError)?.underlying else {
                            return XCTFail("unexpected error \(error)")
                        }
                        XCTAssertEqual("\(module).\(name)", "\(payload.module).\(payload.name)")
                        XCTAssertTrue(String(describing: error).contains("'\(payload.module).\(payload.name)'"), String(describing: error))
                        XCTAssertTrue(String(describing: error).hasPrefix(url.path), String(describing: error))
                    }
                    XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "\(payload.module).\(payload.name) ran from the \(label) file")
                }
            }
        }
    }

    func testWholePickledModelIsRefusedWithAHint() throws {
        let url = TestSupport.fixtures.appendingPathComponent("whole_model_zip.pth")
        XCTAssertThrowsError(try CheckpointReader.read(contentsOf: url)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("'torch.nn.modules.linear.Linear'"), message)
            XCTAssertTrue(message.contains("model.state_dict()"), message)
        }
    }

    func testAllowedGlobalsCannotBeAbusedAsCalls() throws {
        // torch.FloatStorage is allowed as a storage type in persistent ids, but calling it is refused.
        let pickle = CraftedFiles.callingPickle(module: "torch", name: "FloatStorage", argument: "x")
        XCTAssertThrowsError(try CheckpointReader.readCheckpoint(bytes: try CraftedFiles.zipCheckpoint(pickle: pickle))) { error in
            guard case .malformedPickle(let reason, _)? = (error as? GraftIOError)?.underlying else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("torch.FloatStorage"), reason)
        }
    }
}
