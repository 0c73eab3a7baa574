import Foundation
import XCTest

/// Runs the built `graft` executable as a subprocess.
enum CLI {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/graft")

    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// A `graft arguments` process, not yet started.
    static func process(_ arguments: [String]) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is not built (swift build --build-tests builds it)")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        return process
    }

    /// Starts `graft arguments` without waiting, its output discarded.
    static func start(_ arguments: [String]) throws -> Process {
        let process = try process(arguments)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `graft arguments` to completion.
    static func run(_ arguments: [String]) throws -> Result {
        let process = try process(arguments)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                      errors: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory removed after the test.
    static func temporaryDirectory(_ test: XCTestCase) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
