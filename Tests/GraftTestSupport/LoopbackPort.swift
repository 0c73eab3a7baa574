import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ports on 127.0.0.1 for tests that open sockets, always picked by the kernel (binding port 0) so that tests running
/// in parallel never collide on a fixed number.
public enum LoopbackPort {
    /// A socket bound to a free port and listening, which keeps the port taken until it is closed (to test "port in use").
    public final class Listener {
        /// The port it holds.
        public let port: Int
        private var descriptor: Int32

        /// Binds and listens on a port the kernel picks.
        public init() throws {
            (descriptor, port) = try LoopbackPort.bind()
            guard listen(descriptor, 1) == 0 else {
                let error = LoopbackPort.failure("listen")
                Glibc.close(descriptor)
                throw error
            }
        }

        /// Releases the port.
        public func close() {
            if descriptor >= 0 { Glibc.close(descriptor) }
            descriptor = -1
        }

        deinit { close() }
    }

    /// A port that was free a moment ago: bound to find it, then released, for a server another process starts
    /// (a tiny race with other programs remains, as with every such handover).
    public static func free() throws -> Int {
        let (descriptor, port) = try bind()
        Glibc.close(descriptor)
        return port
    }

    /// A TCP socket bound to 127.0.0.1 on a port the kernel picks, and that port.
    private static func bind() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                Glibc.bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            let error = failure("bind")
            Glibc.close(descriptor)
            throw error
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    private static func failure(_ call: String) -> Error {
        NSError(domain: "LoopbackPort", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "\(call): \(String(cString: strerror(errno)))"])
    }
}
