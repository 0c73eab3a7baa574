import Foundation

/// The checks every entry point applies to the group's settings before any networking; `name` is what the caller
/// called the value (a parameter or an environment variable), so the error names it.
enum SettingChecks {
    static func address(_ address: String, name: String) throws {
        guard !address.isEmpty else { throw DistributedError.invalidSetting(name: name, message: "the address is empty") }
    }

    static func port(_ port: Int, name: String, allowsAny: Bool = false) throws {
        guard (allowsAny ? 0 : 1)...65535 ~= port else {
            throw DistributedError.invalidSetting(name: name, message: "must be 1-65535\(allowsAny ? " (or 0 to pick a free one)" : ""); got \(port)")
        }
    }

    static func worldSize(_ worldSize: Int, name: String) throws {
        guard worldSize >= 1 else { throw DistributedError.invalidSetting(name: name, message: "must be at least 1; got \(worldSize)") }
    }

    /// `rank` must be in 0..<`size`; `sizeName` names the size in the message.
    static func rank(_ rank: Int, of size: Int, name: String, sizeName: String) throws {
        guard 0..<size ~= rank else {
            throw DistributedError.invalidSetting(name: name, message: "\(rank) is outside 0..<\(size) (\(sizeName) is \(size))")
        }
    }

    static func timeout(_ timeout: TimeInterval) throws {
        guard timeout > 0, timeout.isFinite else {
            throw DistributedError.invalidSetting(name: "timeout", message: "must be a positive number of seconds; got \(timeout)")
        }
    }
}
