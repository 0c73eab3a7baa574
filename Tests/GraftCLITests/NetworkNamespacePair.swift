import Foundation
import GraftTestSupport
import XCTest

/// Two network namespaces joined by a veth pair: two "hosts" on one machine, each seeing only its end of the link
/// (10.231.0.1 and 10.231.0.2 on a /24) and its own loopback. Needs root with CAP_NET_ADMIN and iproute2's `ip`.
/// The addresses live only inside the namespaces, so pairs made by tests running at once never collide.
final class NetworkNamespacePair: Sendable {
    /// The namespaces' names, host 0's first.
    let namespaces: [String]
    /// The veth interface inside each namespace.
    let interfaces: [String]
    /// Each host's address on the link.
    let addresses = ["10.231.0.1", "10.231.0.2"]
    /// The `ip` program.
    let ip: URL

    /// Makes the pair, removing it again in `test`'s teardown. Throws `Prerequisite.missing` without `ip` (scripts/setup
    /// installs iproute2), and XCTSkip where namespaces cannot be made (not root, or a container without
    /// CAP_NET_ADMIN): that is the machine's policy, which no setup step can change, so it never fails the test.
    init(for test: XCTestCase) throws {
        guard let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(where: FileManager.default.isExecutableFile) else {
            throw Prerequisite.missing("iproute2's ip is not installed (scripts/setup installs it)")
        }
        self.ip = URL(fileURLWithPath: ip)
        // Short (interface names have at most 15 characters) and unique per test run.
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        namespaces = ["graft-\(tag)-0", "graft-\(tag)-1"]
        interfaces = ["gv\(tag)0", "gv\(tag)1"]
        let created = try Self.run(self.ip, ["netns", "add", namespaces[0]])
        guard created.status == 0 else {
            throw XCTSkip("cannot create network namespaces here (needs root with CAP_NET_ADMIN; a container may lack it): \(created.errors)")
        }
        test.addTeardownBlock { [namespaces, ip = self.ip] in
            for namespace in namespaces { _ = try? Self.run(ip, ["netns", "del", namespace]) }
        }
        try command(["netns", "add", namespaces[1]])
        try command(["link", "add", interfaces[0], "type", "veth", "peer", "name", interfaces[1]])
        for host in 0..<2 {
            try command(["link", "set", interfaces[host], "netns", namespaces[host]])
            try command(["-n", namespaces[host], "addr", "add", addresses[host] + "/24", "dev", interfaces[host]])
            try command(["-n", namespaces[host], "link", "set", interfaces[host], "up"])
            try command(["-n", namespaces[host], "link", "set", "lo", "up"])
        }
    }

    /// Runs `program arguments` inside host `host`'s namespace with `environment` added; killed past `timeLimit` seconds.
    func run(on host: Int, _ program: URL, _ arguments: [String], environment: [String: String], timeLimit: TimeInterval) throws -> Subprocess.Result {
        try Subprocess.run(ip, arguments: ["netns", "exec", namespaces[host], program.path] + arguments, environment: environment,
                           timeLimit: timeLimit)
    }

    /// Runs `ip arguments`, failing with its message when it fails.
    private func command(_ arguments: [String]) throws {
        let result = try Self.run(ip, arguments)
        guard result.status == 0 else {
            throw NSError(domain: "NetworkNamespacePair", code: Int(result.status),
                          userInfo: [NSLocalizedDescriptionKey: "ip \(arguments.joined(separator: " ")) failed: \(result.errors)"])
        }
    }

    private static func run(_ ip: URL, _ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(ip, arguments: arguments, timeLimit: 20)
    }
}
