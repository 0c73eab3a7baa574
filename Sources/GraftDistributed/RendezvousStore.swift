import CTorch
import Foundation

/// A c10d `TCPStore`: the key-value server rank 0 runs and every rank connects to, through which the ranks of a process
/// group find each other (the same store `torch.distributed` uses, so Graft and PyTorch processes can share one).
///
/// Most callers never make one: ``ProcessGroup/init(masterAddress:masterPort:rank:worldSize:timeout:)`` does. Make it
/// yourself to let rank 0 pick a free port (`port: 0`) and hand ``port`` to the other ranks.
public final class RendezvousStore: @unchecked Sendable {
    // `@unchecked Sendable`: c10d's store serialises its own requests; the handle never changes.
    let handle: gt_store
    /// The host the store listens on (server) or was reached at (client).
    public let address: String
    /// The port the store listens on or was reached at; a server started on port 0 reports the one it picked.
    public let port: Int
    let timeout: TimeInterval

    /// Starts the store on `port` (`isServer`, rank 0) or connects to the one at `host:port`, retrying until `timeout`
    /// seconds have passed. `worldSize` is the number of processes of the group. The timeout also bounds every later
    /// wait on the store.
    public init(host: String, port: Int, isServer: Bool, worldSize: Int, timeout: TimeInterval) throws {
        try SettingChecks.address(host, name: "host")
        try SettingChecks.port(port, name: "port", allowsAny: isServer)
        try SettingChecks.worldSize(worldSize, name: "worldSize")
        try SettingChecks.timeout(timeout)
        var out: gt_store?
        guard gt_store_create_tcp(host, Int32(port), isServer ? 1 : 0, Int32(worldSize), timeout, &out) == 0, let store = out else {
            throw DistributedError.storeUnavailable(address: host, port: port, isServer: isServer, message: Self.lastError())
        }
        var bound: Int32 = 0
        _ = gt_store_port(store, &bound)
        self.handle = store
        self.address = host
        self.port = Int(bound)
        self.timeout = timeout
    }

    private init(handle: gt_store, address: String, port: Int, timeout: TimeInterval) {
        self.handle = handle
        self.address = address
        self.port = port
        self.timeout = timeout
    }

    deinit {
        gt_store_free(handle)
    }

    /// A view of this store whose keys all start with `prefix/` (c10d's `PrefixStore`).
    public func prefixed(_ prefix: String) throws -> RendezvousStore {
        var out: gt_store?
        guard gt_store_prefixed(handle, prefix, &out) == 0, let view = out else {
            throw DistributedError.storeUnavailable(address: address, port: port, isServer: false, message: Self.lastError())
        }
        return RendezvousStore(handle: view, address: address, port: port, timeout: timeout)
    }

    /// Adds `amount` to the counter under `key` (0 when new) and returns its new value; `amount` 0 reads it.
    func add(_ key: String, _ amount: Int) throws -> Int {
        var value: Int64 = 0
        guard gt_store_add(handle, key, Int64(amount), &value) == 0 else {
            throw DistributedError.storeUnavailable(address: address, port: port, isServer: false, message: Self.lastError())
        }
        return Int(value)
    }

    static func lastError() -> String { String(cString: gt_last_error()) }
}
