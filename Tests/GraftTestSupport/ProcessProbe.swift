import Foundation

/// Looks at processes a test started indirectly (workers of a launcher, what they started) by their ids.
public enum ProcessProbe {
    /// Whether process `pid` has ended — no such process, or a zombie waiting for its parent to collect it — waiting
    /// up to `limit` seconds for it to (a killed process takes a moment to die).
    public static func hasEnded(_ pid: pid_t, within limit: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        repeat {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            if isZombie(pid) { return true }
            usleep(20_000)
        } while Date() < deadline
        return false
    }

    /// The process id a process wrote to `file`, waiting up to `limit` seconds for it to appear; nil if it does not.
    public static func processID(in file: URL, within limit: TimeInterval) -> pid_t? {
        let deadline = Date().addingTimeInterval(limit)
        repeat {
            if let text = try? String(contentsOf: file, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    /// The ids of the running processes whose parent is `pid` (from /proc).
    public static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let child = pid_t(entry), let fields = statFields(child), fields.count > 1, fields[1] == String(pid) else { return nil }
            return child
        }
    }

    /// The environment process `pid` was started with (from /proc/PID/environ); empty when it cannot be read.
    public static func environment(of pid: pid_t) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [:] }
        var variables: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return variables
    }

    /// The fields of /proc/PID/stat after the parenthesised command name (state, parent id, …).
    private static func statFields(_ pid: pid_t) -> [String]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").map(String.init)
    }

    /// Whether /proc says the process is a zombie (state Z, after the parenthesised command name).
    private static func isZombie(_ pid: pid_t) -> Bool {
        statFields(pid)?.first == "Z"
    }
}
