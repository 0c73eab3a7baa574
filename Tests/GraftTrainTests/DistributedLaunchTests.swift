import Foundation
import GraftDistributed
import GraftTrain
import XCTest

/// torchrun's environment read as a worker's place, the launch flags validated with errors naming the setting, and
/// the plan that tells each launched worker its rank.
final class DistributedLaunchTests: XCTestCase {
    /// What torchrun sets for the second worker of the second node of a 2 × 2 run.
    let torchrunWorker = ["MASTER_ADDR": "10.1.2.3", "MASTER_PORT": "29501", "RANK": "3", "WORLD_SIZE": "4",
                          "LOCAL_RANK": "1", "LOCAL_WORLD_SIZE": "2", "GROUP_RANK": "1", "PATH": "/usr/bin"]

    func testAnEnvironmentWithoutRankOrWorldSizeIsNoWorker() throws {
        XCTAssertNil(try DistributedEnvironment.fromEnvironment([:]))
        XCTAssertNil(try DistributedEnvironment.fromEnvironment(["MASTER_ADDR": "10.0.0.1", "MASTER_PORT": "1234", "LOCAL_RANK": "0"]))
        XCTAssertEqual(try DistributedLaunch().role(environment: ["PATH": "/bin"]), .single)
        XCTAssertEqual(try DistributedLaunch(processesPerNode: 1, nodeCount: 1, masterPort: 1234).role(environment: [:]), .single)
    }

    func testTorchrunsVariablesDescribeTheWorker() throws {
        let worker = try XCTUnwrap(DistributedEnvironment.fromEnvironment(torchrunWorker))
        XCTAssertEqual(worker, DistributedEnvironment(masterAddress: "10.1.2.3", masterPort: 29501, rank: 3, worldSize: 4,
                                                      localRank: 1, localWorldSize: 2, nodeRank: 1))
        XCTAssertFalse(worker.isRankZero)
        XCTAssertEqual(worker.variables.merging(["PATH": "/usr/bin"]) { $1 }, torchrunWorker, "the variables round-trip")
        XCTAssertEqual(try DistributedLaunch().role(environment: torchrunWorker), .worker(worker))
    }

    func testUnderTorchrunsAgentEveryRankIsAStoreClientWithTheAttemptsPrefix() throws {
        let agent = torchrunWorker.merging(["TORCHELASTIC_USE_AGENT_STORE": "True", "TORCHELASTIC_RESTART_COUNT": "2"]) { $1 }
        let worker = try XCTUnwrap(DistributedEnvironment.fromEnvironment(agent))
        XCTAssertEqual(worker.storeHost, .agent(restartCount: 2))
        XCTAssertEqual(worker.storeHost.keyPrefix, "/worker/attempt_2")
        XCTAssertEqual(worker.variables.merging(["PATH": "/usr/bin"]) { $1 }, agent, "the variables round-trip")
        XCTAssertEqual(try DistributedEnvironment.fromEnvironment(torchrunWorker)?.storeHost, .rankZero)
        XCTAssertNil(DistributedEnvironment.StoreHost.rankZero.keyPrefix)
        XCTAssertThrowsError(try DistributedEnvironment.fromEnvironment(agent.merging(["TORCHELASTIC_RESTART_COUNT": "x"]) { $1 }))
        var withoutCount = agent
        withoutCount["TORCHELASTIC_RESTART_COUNT"] = nil
        XCTAssertThrowsError(try DistributedEnvironment.fromEnvironment(withoutCount)) { error in
            XCTAssertEqual(error as? TrainingError, .invalidDistributedEnvironment(
                variable: "TORCHELASTIC_RESTART_COUNT", problem: "is not set, but TORCHELASTIC_USE_AGENT_STORE=True: torchrun sets both, and the store's keys are prefixed with the restart count"))
        }
        let plan = LaunchPlan(processesPerNode: 2, nodeCount: 1, nodeRank: 0, masterAddress: "127.0.0.1", masterPort: 29500)
        let launched = plan.environment(localRank: 0, inheriting: ["TORCHELASTIC_USE_AGENT_STORE": "True", "TORCHELASTIC_RESTART_COUNT": "0"])
        XCTAssertEqual(try DistributedEnvironment.fromEnvironment(launched)?.storeHost, .rankZero, "a launcher's own workers use rank 0's store")
    }

    func testAWorkerWithoutLocalVariablesIsAloneOnItsNode() throws {
        let worker = try XCTUnwrap(DistributedEnvironment.fromEnvironment(
            ["MASTER_ADDR": "node0.cluster", "MASTER_PORT": "1234", "RANK": "3", "WORLD_SIZE": "4"]))
        XCTAssertEqual(worker.localRank, 0)
        XCTAssertEqual(worker.localWorldSize, 1)
        XCTAssertEqual(worker.nodeRank, 3)
    }

    func testABrokenWorkerEnvironmentNamesTheVariable() {
        let complete = ["MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500", "RANK": "0", "WORLD_SIZE": "2"]
        let cases: [(changes: [String: String?], variable: String, text: String)] = [
            (["RANK": "one"], "RANK", "must be an integer (got 'one')"),
            (["RANK": "2"], "RANK", "must be in 0 ..< WORLD_SIZE = 2 (got 2)"),
            (["RANK": "-1"], "RANK", "must be in 0 ..< WORLD_SIZE = 2"),
            (["RANK": nil], "RANK", "is not set"),
            (["WORLD_SIZE": "0", "RANK": "0"], "WORLD_SIZE", "must be at least 1"),
            (["MASTER_PORT": nil], "MASTER_PORT", "is not set"),
            (["MASTER_ADDR": nil], "MASTER_ADDR", "is not set"),
            (["MASTER_PORT": "70000"], "MASTER_PORT", "must be a TCP port"),
            (["MASTER_PORT": "0"], "MASTER_PORT", "must be a TCP port"),
            (["MASTER_ADDR": "node 0"], "MASTER_ADDR", "must be a host name or an IPv4/IPv6 address (got 'node 0')"),
            (["LOCAL_RANK": "1"], "LOCAL_RANK", "must be in 0 ..< LOCAL_WORLD_SIZE = 1"),
            (["LOCAL_WORLD_SIZE": "3"], "LOCAL_WORLD_SIZE", "must be in 1 ... WORLD_SIZE = 2 (got 3)"),
            (["GROUP_RANK": "x"], "GROUP_RANK", "must be an integer"),
        ]
        for (changes, variable, text) in cases {
            var environment = complete
            for (name, value) in changes { environment[name] = value }
            XCTAssertThrowsError(try DistributedEnvironment.fromEnvironment(environment), "\(changes)") { error in
                guard case TrainingError.invalidDistributedEnvironment(let named, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(named, variable)
                XCTAssertTrue("\(error)".hasPrefix("environment variable \(variable) "), "\(error)")
                XCTAssertTrue("\(error)".contains(text), "\(changes): \(error)")
            }
        }
    }

    func testBadLaunchSettingsNameTheSetting() {
        let cases: [(DistributedLaunch, setting: String, text: String)] = [
            (DistributedLaunch(processesPerNode: 0), "processesPerNode", "processesPerNode must be at least 1 (got 0)"),
            (DistributedLaunch(nodeCount: 0), "nodeCount", "nodeCount must be at least 1 (got 0)"),
            (DistributedLaunch(nodeCount: 2, nodeRank: 2, masterAddress: "10.0.0.1"), "nodeRank", "nodeRank must be in 0 ..< `nodeCount` = 2 (got 2)"),
            (DistributedLaunch(nodeRank: -1), "nodeRank", "nodeRank must be in 0 ..< `nodeCount` = 1 (got -1)"),
            (DistributedLaunch(masterPort: 65536), "masterPort", "masterPort must be a TCP port"),
            (DistributedLaunch(masterPort: -1), "masterPort", "masterPort must be a TCP port"),
            (DistributedLaunch(nodeCount: 2, masterAddress: "10.0.0.1", masterPort: 0), "masterPort", "works on one node only"),
            (DistributedLaunch(nodeCount: 2), "masterAddress", "masterAddress is required with `nodeCount` = 2"),
            (DistributedLaunch(nodeCount: 2, masterAddress: "127.0.0.1"), "masterAddress", "is a loopback address"),
            (DistributedLaunch(nodeCount: 2, masterAddress: "localhost"), "masterAddress", "is a loopback address"),
            (DistributedLaunch(processesPerNode: 2, masterAddress: "bad_host!"), "masterAddress", "must be a host name or an IPv4/IPv6 address"),
            (DistributedLaunch(processesPerNode: 2, groupTimeout: 0), "groupTimeout", "groupTimeout must be a positive number of seconds (got 0.0)"),
            (DistributedLaunch(groupTimeout: -.infinity), "groupTimeout", "groupTimeout must be a positive number of seconds"),
            (DistributedLaunch(groupTimeout: .nan), "groupTimeout", "groupTimeout must be a positive number of seconds"),
        ]
        // A worker (its place given by the environment) checks the timeout it joins with as well.
        let worker = ["MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500", "RANK": "0", "WORLD_SIZE": "2"]
        XCTAssertThrowsError(try DistributedLaunch(groupTimeout: 0).role(environment: worker)) { error in
            XCTAssertEqual("\(error)".contains("groupTimeout must be a positive number of seconds"), true, "\(error)")
        }
        XCTAssertEqual(try DistributedLaunch(groupTimeout: 5).role(environment: worker).worker?.worldSize, 2)
        XCTAssertEqual(DistributedLaunch(groupTimeout: 5).effectiveGroupTimeout, 5)
        XCTAssertEqual(DistributedLaunch().effectiveGroupTimeout, ProcessGroup.defaultTimeout)
        for (launch, setting, text) in cases {
            XCTAssertThrowsError(try launch.role(environment: [:]), "\(launch)") { error in
                guard case TrainingError.invalidSetting(let named, let message) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(named, setting, message)
                XCTAssertTrue(message.contains(text), "\(launch): \(message)")
            }
        }
    }

    func testMoreThanOneProcessOrNodeMakesALauncherWithTorchrunsDefaults() throws {
        guard case .launcher(let plan) = try DistributedLaunch(processesPerNode: 2).role(environment: [:]) else {
            return XCTFail("two processes per node launch workers")
        }
        XCTAssertEqual(plan, LaunchPlan(processesPerNode: 2, nodeCount: 1, nodeRank: 0, masterAddress: "127.0.0.1", masterPort: 29500))
        guard case .launcher(let nodes) = try DistributedLaunch(nodeCount: 2, nodeRank: 1, masterAddress: "node0").role(environment: [:]) else {
            return XCTFail("two nodes launch workers")
        }
        XCTAssertEqual(nodes.worldSize, 2)
        XCTAssertEqual(nodes.worker(localRank: 0).rank, 1)
    }

    func testEachWorkerIsToldItsRankAndAShareOfTheCores() throws {
        let plan = try DistributedLaunch(processesPerNode: 2, nodeCount: 2, nodeRank: 1, masterAddress: "10.1.2.3", masterPort: 29501).plan()
        XCTAssertEqual(plan.environment(localRank: 1, inheriting: ["PATH": "/usr/bin"], cores: 2),
                       torchrunWorker.merging(["OMP_NUM_THREADS": "1"]) { $1 })
        XCTAssertEqual(plan.worker(localRank: 0).rank, 2)
        XCTAssertEqual(plan.environment(localRank: 0, inheriting: ["OMP_NUM_THREADS": "3"], cores: 2)["OMP_NUM_THREADS"], "3",
                       "a thread count already set is kept")
        let alone = LaunchPlan(processesPerNode: 1, nodeCount: 2, nodeRank: 0, masterAddress: "10.1.2.3", masterPort: 29501)
        XCTAssertNil(alone.environment(localRank: 0, inheriting: [:], cores: 8)["OMP_NUM_THREADS"], "one worker per node keeps libtorch's default")
        XCTAssertEqual(LaunchPlan.threadsPerWorker(processesPerNode: 2, cores: 2), 1)
        XCTAssertEqual(LaunchPlan.threadsPerWorker(processesPerNode: 3, cores: 16), 5)
        XCTAssertEqual(LaunchPlan.threadsPerWorker(processesPerNode: 4, cores: 2), 1)
    }

    func testPortZeroPicksAPortNobodyListensOn() throws {
        let port = try DistributedLaunch(processesPerNode: 2, masterPort: 0).plan().masterPort
        XCTAssertTrue((1...65535).contains(port), "\(port)")
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0, "port \(port) can be listened on")
    }

    func testSettingsGivenToAWorkerMustAgreeWithItsEnvironment() throws {
        let worker = try XCTUnwrap(DistributedEnvironment.fromEnvironment(torchrunWorker))
        let agreeing = DistributedLaunch(processesPerNode: 2, nodeCount: 2, nodeRank: 1, masterAddress: "10.1.2.3", masterPort: 0)
        XCTAssertEqual(try agreeing.role(environment: torchrunWorker), .worker(worker), "a launcher's own workers see their flags")
        let conflicts: [(DistributedLaunch, setting: String, text: String)] = [
            (DistributedLaunch(processesPerNode: 3), "processesPerNode", "processesPerNode 3 conflicts with the environment, where LOCAL_WORLD_SIZE=2"),
            (DistributedLaunch(nodeCount: 3), "nodeCount", "WORLD_SIZE=4 and LOCAL_WORLD_SIZE=2"),
            (DistributedLaunch(nodeRank: 0), "nodeRank", "GROUP_RANK=1"),
            (DistributedLaunch(masterAddress: "10.9.9.9"), "masterAddress", "MASTER_ADDR=10.1.2.3"),
            (DistributedLaunch(masterPort: 29500), "masterPort", "MASTER_PORT=29501"),
        ]
        for (launch, setting, text) in conflicts {
            XCTAssertThrowsError(try launch.role(environment: torchrunWorker), "\(launch)") { error in
                guard case TrainingError.invalidSetting(let named, let message) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(named, setting)
                XCTAssertTrue(message.contains(text), message)
            }
        }
    }

    func testHostAddressSyntaxAndLoopback() {
        for valid in ["node-0.cluster.local", "10.0.0.1", "::1", "fe80::1", "localhost", "n1"] {
            XCTAssertTrue(HostAddress.isValid(valid), valid)
        }
        for invalid in ["", "-node", "node-", "a..b", "host name", "300.1.1.1", "under_score", "[::1]", String(repeating: "a", count: 64)] {
            XCTAssertFalse(HostAddress.isValid(invalid), invalid)
        }
        for loopback in ["localhost", "127.0.0.1", "127.1.2.3", "::1"] { XCTAssertTrue(HostAddress.isLoopback(loopback), loopback) }
        for remote in ["10.0.0.1", "node0", "fe80::1", "::"] { XCTAssertFalse(HostAddress.isLoopback(remote), remote) }
        XCTAssertEqual(HostAddress.withPort("fe80::1", 29500), "[fe80::1]:29500")
        XCTAssertEqual(HostAddress.withPort("node0", 29500), "node0:29500")
    }

    func testAWorkersEndIsReportedAsAShellWould() {
        let failed = WorkerExit(rank: 1, code: 3, killedBySignal: false), killed = WorkerExit(rank: 0, code: SIGKILL, killedBySignal: true)
        XCTAssertEqual(failed.exitStatus, 3)
        XCTAssertEqual(killed.exitStatus, 137)
        XCTAssertEqual("\(TrainingError.workerFailed(failed))", "worker rank 1 exited with status 3; the other workers were stopped")
        XCTAssertEqual("\(killed)", "worker rank 0 was killed by SIGKILL")
        XCTAssertEqual(TrainingError.launchInterrupted(signal: SIGTERM).launcherExitStatus, 143)
        XCTAssertNil(TrainingError.invalidConfiguration("x").launcherExitStatus)
    }
}
