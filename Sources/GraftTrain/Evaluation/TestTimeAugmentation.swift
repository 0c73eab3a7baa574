import GraftData

/// Test-time augmentation: a classifier's softmax probabilities averaged over several views of each image.
///
/// The views derive from the evaluation preprocessing (Resize → CenterCrop):
/// - `none`: the evaluation view alone (1 view);
/// - `flip`: the evaluation view and its mirror image (2 views; the cheap default when TTA is asked for);
/// - `crops`: torchvision's `FiveCrop` of the resized image — four corners and the centre — and, when flipping is
///   allowed, the mirror of each (10 views, like `TenCrop`).
/// Without flipping (orientation-sensitive data: digits, text, left/right classes) `flip` is the evaluation view only
/// and `crops` is the five crops.
public struct TestTimeAugmentation: Sendable, Equatable {
    /// Which views to average.
    public enum Views: String, CaseIterable, Sendable, Codable {
        case none, flip, crops
    }

    /// Which views to average.
    public let views: Views
    /// Whether mirrored views may be used; false for data whose meaning changes when mirrored.
    public let allowsFlip: Bool

    /// Averages `views`, mirroring only when `allowsFlip`.
    public init(_ views: Views, allowsFlip: Bool) {
        self.views = views
        self.allowsFlip = allowsFlip
    }

    /// One preprocessing per view, derived from `evalTransform`: the mirrored views append a flip; the crops replace its
    /// final `CenterCrop` by each `five_crop` window. Throws `invalidSetting("testTimeAugmentation", …)` for `crops`
    /// when `evalTransform` does not end with a `CenterCrop`.
    public func pipelines(from evalTransform: TransformPipeline) throws -> [TransformPipeline] {
        let windows: [[any ImageTransform]]
        switch views {
        case .none, .flip:
            windows = [evalTransform.steps]
        case .crops:
            guard let crop = evalTransform.steps.last as? CenterCrop else {
                throw TrainingError.invalidSetting(
                    "testTimeAugmentation", "testTimeAugmentation crops needs an evaluation preprocessing that ends with a centre crop")
            }
            let resize = evalTransform.steps.dropLast()
            windows = PositionedCrop.Position.allCases.map { Array(resize) + [PositionedCrop($0, height: crop.height, width: crop.width)] }
        }
        let mirrored = views != .none && allowsFlip
        let steps = windows + (mirrored ? windows.map { $0 + [HorizontalFlip()] } : [])
        return steps.map {
            TransformPipeline($0, normalize: evalTransform.normalize, allowsReducedDecoding: evalTransform.allowsReducedDecoding)
        }
    }
}
