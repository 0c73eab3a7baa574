import Foundation

/// A TCP port nobody listens on, for a one-node run started with `--master-port 0`.
enum FreePort {
    /// Binds a socket to port 0 on all interfaces, reads back the port the kernel chose and closes it. Another
    /// process may take the port before rank 0 listens on it (torchrun has the same window); the store then reports
    /// the port in use.
    static func pick() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw failure("bind") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func failure(_ call: String) -> TrainingError {
        .invalidSetting("masterPort", "masterPort 0: could not pick a free port (\(call): \(String(cString: strerror(errno))))")
    }
}
