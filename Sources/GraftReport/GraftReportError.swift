/// Errors raised while computing or rendering evaluation reports, each naming the offending sample or value.
public enum GraftReportError: Error, CustomStringConvertible, Equatable {
    /// Predictions and true labels have different lengths.
    case lengthMismatch(predictions: Int, labels: Int)
    /// There is nothing to evaluate.
    case noSamples
    /// The class-name list is empty.
    case noClasses
    /// A label or prediction is not a valid class index.
    case classIndexOutOfRange(what: String, sample: Int, value: Int, classCount: Int)
    /// A score vector does not have one score per class.
    case scoreCountMismatch(sample: Int, count: Int, classCount: Int)
    /// `k` for top-k accuracy is not positive.
    case invalidTopK(Int)
    /// A confusion matrix is not square or does not match its class names.
    case malformedConfusionMatrix(String)
    /// A plot has no data to draw.
    case nothingToPlot(String)
    /// An image is too large or too small to render.
    case invalidImageSize(width: Int, height: Int)
    /// libpng could not encode an image.
    case pngEncodingFailed(String)
    /// A font file that text rendering needs is not installed; `package` is the Debian package that provides it.
    case fontMissing(path: String, package: String)
    /// FreeType could not load or render a font.
    case fontUnusable(path: String, reason: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .lengthMismatch(let predictions, let labels):
            return "\(predictions) predictions but \(labels) true labels; both lists must have one entry per sample"
        case .noSamples:
            return "no samples to evaluate"
        case .noClasses:
            return "no class names given; pass one name per class index"
        case .classIndexOutOfRange(let what, let sample, let value, let classCount):
            return "sample \(sample): \(what) \(value) is not a class index in 0..<\(classCount)"
        case .scoreCountMismatch(let sample, let count, let classCount):
            return "sample \(sample): \(count) scores, expected one per class (\(classCount))"
        case .invalidTopK(let k):
            return "top-k accuracy needs k >= 1, got \(k)"
        case .malformedConfusionMatrix(let reason):
            return "confusion matrix: \(reason)"
        case .nothingToPlot(let what):
            return "nothing to plot: \(what)"
        case .invalidImageSize(let width, let height):
            return
                "image size \(width)x\(height) is outside 1...8192 pixels per side; "
                + "draw fewer classes or use a smaller scale"
        case .pngEncodingFailed(let reason):
            return "PNG encoding failed: \(reason)"
        case .fontMissing(let path, let package):
            return "the font \(path) is missing; PNG plots draw their text with it: install it with `apt-get install \(package)`"
                + " (scripts/setup does)"
        case .fontUnusable(let path, let reason):
            return "the font \(path) cannot be used: \(reason)"
        }
    }
}
