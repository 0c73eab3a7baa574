import Foundation
import GraftTestSupport
import XCTest

/// Runs the built `graft` executable as a subprocess.
enum CLI {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/graft")

    /// Longest one `graft` run in a test may take: a generous bound for the small end-to-end training runs.
    static let timeLimit: TimeInterval = 600

    /// What a run printed and how it ended.
    typealias Result = Subprocess.Result

    /// The built executable, or an XCTSkip when it is not built.
    static func executable() throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is not built (swift build --build-tests builds it)")
        }
        return binary
    }

    /// Starts `graft arguments` without waiting, its output discarded (standard error into `errors` when given), with
    /// `environment` added; it is killed when `test` ends (even when the test fails early) and at `timeLimit`.
    static func start(_ arguments: [String], for test: XCTestCase, environment: [String: String] = [:], errors: Pipe? = nil) throws -> Process {
        let process = try Subprocess.start(executable(), arguments: arguments, environment: environment, errors: errors, timeLimit: timeLimit)
        let pid = process.processIdentifier
        test.addTeardownBlock {
            guard process.isRunning else { return }
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        return process
    }

    /// Runs `graft arguments` to completion with `environment` added; throws `Subprocess.TimedOut` past `limit` seconds.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeLimit limit: TimeInterval = timeLimit) throws -> Result {
        try Subprocess.run(executable(), arguments: arguments, environment: environment, timeLimit: limit)
    }

    /// A fresh temporary directory removed after the test.
    static func temporaryDirectory(_ test: XCTestCase) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

extension XCTestCase {
    /// Runs `graft arguments` and checks it fails, without crashing, with a message containing `text`.
    func expectFailure(_ arguments: [String], mentioning text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CLI.run(arguments)
        XCTAssertNotEqual(result.status, 0, "\(arguments) should fail", file: file, line: line)
        let message = result.errors + result.output
        XCTAssertTrue(message.contains(text), "\(arguments): expected '\(text)' in: \(message)", file: file, line: line)
        XCTAssertFalse(message.contains("Fatal error"), "crashed: \(message)", file: file, line: line)
    }
}
