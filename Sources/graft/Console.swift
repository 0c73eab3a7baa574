import Foundation

/// Unbuffered console output for long-running commands, so progress shows up at once in logs and pipes
/// (Swift's `print` is fully buffered when stdout is not a terminal).
enum Console {
    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` as is (for redrawing a progress line).
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a warning line to standard error.
    static func warning(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }
}
