import Foundation
import GraftNN

/// Per-stage settings of a RegNet, quantised from its design-space parameters exactly as torchvision 0.14's
/// `BlockParams.from_init_params` computes them (in single precision, as its torch tensors do).
public struct RegNetBlockParams: Sendable, Equatable {
    /// Blocks per stage.
    public let depths: [Int]
    /// Output width of each stage.
    public let widths: [Int]
    /// Channels per group of each stage's 3×3 grouped convolution.
    public let groupWidths: [Int]
    /// Bottleneck width ÷ output width, per stage.
    public let bottleneckMultipliers: [Double]
    /// Squeeze-excitation width ÷ block input width (RegNet Y), or nil (RegNet X).
    public let seRatio: Double?

    /// The stages of a network with `depth` blocks whose widths grow linearly (`w0` + `wa`·i) and are then quantised
    /// to powers of `wm` times `w0` and multiples of 8, with groups of `groupWidth` channels.
    public init(depth: Int, w0: Int, wa: Float, wm: Float, groupWidth: Int, bottleneckMultiplier: Double = 1, seRatio: Double? = nil) throws {
        guard wa >= 0, w0 > 0, wm > 1, w0 % 8 == 0 else { throw NNError.invalidConfiguration("invalid RegNet settings w0=\(w0) wa=\(wa) wm=\(wm)") }
        let logWm = Float(log(Double(wm)))
        let blockWidths = (0..<depth).map { index -> Int in
            let continuous = Float(index) * wa + Float(w0)
            let capacity = (logf(continuous / Float(w0)) / logWm).rounded(.toNearestOrEven)
            return Int((Float(w0) * powf(wm, capacity) / 8).rounded(.toNearestOrEven) * 8)
        }
        var stageWidths: [Int] = [], stageDepths: [Int] = []
        for width in blockWidths {
            if width == stageWidths.last { stageDepths[stageDepths.count - 1] += 1 } else { stageWidths.append(width); stageDepths.append(1) }
        }
        // `_adjust_widths_groups_compatibilty`: bottleneck widths made divisible by their (capped) group width.
        let bottleneckWidths = stageWidths.map { Int(Double($0) * bottleneckMultiplier) }
        let groupWidths = bottleneckWidths.map { min(groupWidth, $0) }
        depths = stageDepths
        widths = zip(bottleneckWidths, groupWidths).map { Int(Double(makeDivisible(Double($0), $1)) / bottleneckMultiplier) }
        self.groupWidths = groupWidths
        bottleneckMultipliers = Array(repeating: bottleneckMultiplier, count: stageWidths.count)
        self.seRatio = seRatio
    }
}
