import Foundation
import GraftDistributed
import GraftTensor
import XCTest

/// GLOO_SOCKET_IFNAME picks the interfaces Gloo binds to, as in PyTorch: a real one works, a missing one is an error
/// naming it. (XCTest runs one test at a time in a process, so setting the variable here reaches no other test.)
final class NetworkInterfaceTests: XCTestCase {
    override func tearDown() {
        unsetenv("GLOO_SOCKET_IFNAME")
    }

    func testTheLoopbackInterfaceCarriesTheGroup() throws {
        setenv("GLOO_SOCKET_IFNAME", "lo", 1)
        let sums = try ThreadRanks.values(worldSize: 2) { group -> [Float] in
            let tensor = try Tensor([Float(group.rank + 1)], shape: [1])
            try group.allReduceSum([tensor])
            return try tensor.scalars(as: Float.self)
        }
        XCTAssertEqual(sums, [[3], [3]])
    }

    func testAMissingInterfaceIsAnErrorNamingIt() throws {
        setenv("GLOO_SOCKET_IFNAME", "graft-no-such-if", 1)
        let outcomes = try ThreadRanks.run(worldSize: 1, timeout: 5) { _ in true }
        XCTAssertThrowsError(try outcomes[0].get()) { error in
            guard case .rendezvousFailed? = error as? DistributedError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("graft-no-such-if"), "\(error)")
        }
    }
}
