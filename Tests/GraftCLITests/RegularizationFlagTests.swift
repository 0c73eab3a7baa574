import Foundation
import GraftTestSupport
import XCTest

/// `--mixup`, `--cutmix` and `--ema` (and their config keys) refuse bad values with a message naming the flag.
final class RegularizationFlagTests: XCTestCase {

    func testBadValuesNameTheFlag() throws {
        let train = ["train", "--data", "fashion-mnist", "--from-scratch"]
        try expectFailure(train + ["--ema", "1.5"], mentioning: "--ema must be in (0, 1)")
        try expectFailure(train + ["--ema", "0"], mentioning: "--ema must be in (0, 1)")
        try expectFailure(train + ["--mixup=-0.2"], mentioning: "--mixup must be ≥ 0")
        try expectFailure(train + ["--cutmix", "1", "--batch-size", "1"], mentioning: "--cutmix needs batches of at least 2 images")
        let config = CLI.temporaryDirectory(self).appendingPathComponent("mix.yaml")
        try "data: fashion-mnist\nfrom-scratch: true\nmixup: 0.2\nbatch_size: 1\n".write(to: config, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", config.path], mentioning: "--mixup needs batches of at least 2 images")
    }
}
