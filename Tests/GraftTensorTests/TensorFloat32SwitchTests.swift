import GraftTensor
import XCTest

/// The TensorFloat-32 switch reads back what was set (libtorch keeps it even without CUDA).
final class TensorFloat32SwitchTests: XCTestCase {
    func testTheSwitchReadsBackWhatWasSet() {
        let original = Engine.allowsTF32
        defer { Engine.allowsTF32 = original }
        Engine.allowsTF32 = false
        XCTAssertFalse(Engine.allowsTF32)
        Engine.allowsTF32 = true
        XCTAssertTrue(Engine.allowsTF32)
    }
}
