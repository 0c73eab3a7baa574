import Foundation

/// Checks on the host names and addresses a distributed run is given (syntax only: whether a host is reachable is
/// found out by connecting to it).
public enum HostAddress {
    /// Whether `text` is an IPv4 address, an IPv6 address (without brackets) or a host name of dot-separated
    /// labels of letters, digits and inner hyphens (RFC 1123), at most 253 characters, not all numeric.
    public static func isValid(_ text: String) -> Bool {
        if isIPv4(text) || isIPv6(text) { return true }
        guard !text.isEmpty, text.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        // All-numeric labels would be a malformed IPv4 address (300.1.1.1), not a name.
        if labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) { return false }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
            return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// Whether `text` names this machine only: `localhost`, 127.0.0.0/8 or `::1`.
    public static func isLoopback(_ text: String) -> Bool {
        let lowered = text.lowercased()
        if lowered == "localhost" || lowered.hasSuffix(".localhost") { return true }
        if isIPv4(text) { return text.hasPrefix("127.") }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return false }
        return withUnsafeBytes(of: &address) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
    }

    /// `host:port`, with an IPv6 address in brackets.
    public static func withPort(_ host: String, _ port: Int) -> String {
        isIPv6(host) ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}
