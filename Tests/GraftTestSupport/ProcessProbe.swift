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

    /// Whether /proc says the process is a zombie (state Z, after the parenthesised command name).
    private static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
