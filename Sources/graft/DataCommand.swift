import ArgumentParser
import Foundation
import GraftData

/// `graft data`: dataset tools.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Dataset tools.", subcommands: [DataCheckCommand.self])
}

/// `graft data check`: what is in a dataset and what is wrong with it, before any training.
struct DataCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Count images per class, image sizes, unreadable files, duplicates and class imbalance.")

    @Argument(help: "An ImageFolder directory, or a CSV/TSV of filename,label (with --images).")
    var path: String
    @Option(help: "Directory holding the images named in a CSV/TSV file.")
    var images: String?

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(path): no such file or directory")
        }
        let report: DatasetCheckReport
        if isDirectory.boolValue {
            report = try DatasetCheck.run(ImageFolder(root: path), source: path)
        } else {
            guard let images else { throw ValidationError("\(path) is a labels file; pass --images DIR too") }
            report = try DatasetCheck.run(LabeledFiles(labelFile: path, imageDirectory: images), source: path)
        }
        print(report.text)
        if !report.unreadable.isEmpty { throw ExitCode(1) }
    }
}
