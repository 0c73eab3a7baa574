/// A failure to set up or use a process group. Every message names the rank and, for the rendezvous, the store's address
/// and port, so that a log line from any machine of a multi-node run says where it came from.
public enum DistributedError: Error, CustomStringConvertible, Equatable {
    /// A rendezvous setting is missing or invalid; `name` is the environment variable or parameter (`RANK`,
    /// `masterPort`, …). Raised before any networking.
    case invalidSetting(name: String, message: String)
    /// The arguments of a collective are invalid (no tensors, a tensor off the CPU, a root outside the group).
    case invalidArgument(operation: String, message: String)
    /// The rendezvous store could not be started (`isServer`, e.g. the port is in use) or reached within the timeout.
    case storeUnavailable(address: String, port: Int, isServer: Bool, message: String)
    /// Not every rank joined the group through the store within the timeout.
    case rendezvousFailed(address: String, port: Int, rank: Int, worldSize: Int, message: String)
    /// A collective failed or timed out, typically because a peer died or the network broke.
    case collectiveFailed(operation: String, rank: Int, worldSize: Int, message: String)

    /// A message naming what failed, where, and the engine's reason.
    public var description: String {
        switch self {
        case .invalidSetting(let name, let message):
            return "\(name): \(message)"
        case .invalidArgument(let operation, let message):
            return "\(operation): \(message)"
        case .storeUnavailable(let address, let port, let isServer, let message):
            return isServer
                ? "could not start the rendezvous store on \(address):\(port) (is the port in use?): \(message)"
                : "could not reach the rendezvous store at \(address):\(port) (is rank 0 running, and are the address and port right?): \(message)"
        case .rendezvousFailed(let address, let port, let rank, let worldSize, let message):
            return "rank \(rank) of \(worldSize) could not join the process group through the store at \(address):\(port): \(message)"
        case .collectiveFailed(let operation, let rank, let worldSize, let message):
            return "\(operation) failed on rank \(rank) of \(worldSize)\(Self.peerHint(rank: rank, worldSize: worldSize)): \(message)"
        }
    }

    // With two ranks a broken collective can only mean the other one is gone or stuck; Gloo itself names the peer only
    // by its socket address.
    private static func peerHint(rank: Int, worldSize: Int) -> String {
        worldSize == 2 ? " (its only peer, rank \(1 - rank), stopped answering or left)" : ""
    }
}
