import ArgumentParser
import Foundation
import Yams

/// A YAML or JSON file of flags: `epochs: 5`, `head-lr: 0.001`, `phases: [{at_epoch: 2, unfreeze: [layer4], lr: 1e-4}]`.
enum ConfigFile {
    /// `arguments` with each `--config FILE` replaced by the file's flags, placed first so explicit flags win.
    static func expand(_ arguments: [String]) throws -> [String] {
        guard let index = arguments.firstIndex(of: "--config") else { return arguments }
        guard index + 1 < arguments.count else { throw ValidationError("--config needs a file name") }
        let path = arguments[index + 1]
        var rest = arguments
        rest.removeSubrange(index...(index + 1))
        let flags = try flags(from: path)
        let commandEnd = rest.firstIndex { $0.hasPrefix("-") } ?? rest.count
        return Array(rest[..<commandEnd]) + flags + Array(rest[commandEnd...])
    }

    /// The flags a config file holds.
    static func flags(from path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--config \(path): cannot read the file")
        }
        let parsed: Any?
        do {
            parsed = try Yams.load(yaml: text)
        } catch {
            throw ValidationError("--config \(path): not valid YAML/JSON (\(error))")
        }
        guard let mapping = parsed as? [String: Any] else {
            throw ValidationError("--config \(path): expected a mapping of flag names to values")
        }
        var flags: [String] = []
        for (key, value) in mapping.sorted(by: { $0.key < $1.key }) {
            let flag = "--" + key.replacingOccurrences(of: "_", with: "-")
            if key == "phases" {
                guard let phases = value as? [[String: Any]] else { throw ValidationError("--config \(path): phases must be a list of mappings") }
                for phase in phases { flags += ["--phase", try phaseText(phase, path: path)] }
            } else if let enabled = value as? Bool {
                if enabled { flags.append(flag) }
            } else if let list = value as? [Any] {
                flags += [flag, list.map { "\($0)" }.joined(separator: ",")]
            } else {
                flags += [flag, "\(value)"]
            }
        }
        return flags
    }

    static func phaseText(_ phase: [String: Any], path: String) throws -> String {
        guard let epoch = phase["at_epoch"], let unfreeze = phase["unfreeze"], let lr = phase["lr"] else {
            throw ValidationError("--config \(path): each phase needs at_epoch, unfreeze and lr")
        }
        let groups = (unfreeze as? [Any])?.map { "\($0)" }.joined(separator: "+") ?? "\(unfreeze)"
        return "at_epoch=\(epoch),unfreeze=\(groups),lr=\(lr)"
    }
}
