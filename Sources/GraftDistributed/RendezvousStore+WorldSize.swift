import Foundation

extension RendezvousStore {
    /// The key prefix under which each rank publishes the world size it was started with.
    static let worldSizeKeyPrefix = "graft/world_size/rank_"

    /// Checks, before joining a group through this store, that every rank was started with the same world size:
    /// each rank publishes its own, every rank compares rank 0's with its own, and rank 0 compares every other rank's.
    /// Without it a mismatch surfaces deep inside Gloo as an unreadable address-size failure. Only for groups whose
    /// ranks are all Graft processes (a PyTorch rank publishes nothing, so waiting for it would time out).
    ///
    /// Throws ``DistributedError/rendezvousFailed(address:port:rank:worldSize:message:)`` naming both sizes and the
    /// rank that differs, or naming the rank that did not arrive within the store's timeout.
    public func checkWorldSize(rank: Int, worldSize: Int) throws {
        try SettingChecks.worldSize(worldSize, name: "worldSize")
        try SettingChecks.rank(rank, of: worldSize, name: "rank", sizeName: "worldSize")
        func failure(_ message: String) -> DistributedError {
            .rendezvousFailed(address: address, port: port, rank: rank, worldSize: worldSize, message: message)
        }
        _ = try add(Self.worldSizeKeyPrefix + String(rank), worldSize)
        let deadline = Date(timeIntervalSinceNow: timeout)
        for other in rank == 0 ? Array(1..<worldSize) : [0] {
            // Reading a counter that is not there yet creates it at 0: 0 means the rank has not arrived.
            var published = try add(Self.worldSizeKeyPrefix + String(other), 0)
            while published == 0 {
                guard Date() < deadline else {
                    throw failure("rank \(other) did not arrive at the store within \(timeout) s (is it running, with the same MASTER_ADDR and MASTER_PORT?)")
                }
                Thread.sleep(forTimeInterval: 0.01)
                published = try add(Self.worldSizeKeyPrefix + String(other), 0)
            }
            guard published == worldSize else {
                throw failure("rank \(other) was started with a world size of \(published) but this rank with \(worldSize): every rank must be given the same WORLD_SIZE")
            }
        }
    }
}
