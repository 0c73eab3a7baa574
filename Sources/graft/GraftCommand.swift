import ArgumentParser

/// The `graft` command line: fine-tune pretrained networks on your own labelled data.
@main
struct GraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graft",
        abstract: "Fine-tune pretrained neural networks on your own labelled data.",
        version: GraftVersion.current,
        subcommands: [DoctorCommand.self]
    )
}

/// The release of this build of Graft.
enum GraftVersion {
    static let current = "0.1.0"
}
