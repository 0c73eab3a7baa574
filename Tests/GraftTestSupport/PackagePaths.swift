import Foundation
import XCTest

/// Places in this package's checkout, found from this file's path (tests may run from any directory).
public enum PackagePaths {
    /// The package root (the directory holding Package.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file or directory under the root, e.g. `README.md`.
    public static func file(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// A program of this package built by `swift build` (debug), e.g. `quick-start`; throws `Prerequisite.missing` when
    /// it is not built.
    public static func builtProgram(_ name: String) throws -> URL {
        let url = file(".build/debug/\(name)")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw Prerequisite.missing("\(url.path) is not built (swift build --build-tests builds it)")
        }
        return url
    }

    /// A fresh temporary directory that `test` removes when it ends.
    public static func temporaryDirectory(for test: XCTestCase, prefix: String = "graft-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
