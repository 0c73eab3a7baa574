import Foundation
import GraftData
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// Mixup and CutMix against timm 0.9's formulas written out in PyTorch (timm is not installed): mixed images, soft
/// targets, the soft-target loss, and `rand_bbox` / `cutmix_bbox_and_lam` for the same centre draws, within 1e-6.
final class BatchMixingParityTests: XCTestCase {
    static let twin = """
    import json, sys, numpy as np, torch, torch.nn.functional as F
    d = json.load(open(sys.argv[1]))
    x = torch.tensor(d['images'], dtype=torch.float32).reshape(d['shape'])
    target = torch.tensor(d['labels'], dtype=torch.int64)
    logits = torch.tensor(d['logits'], dtype=torch.float32).reshape(len(d['labels']), d['classes'])
    weight = torch.tensor(d['weight'], dtype=torch.float32)

    def one_hot(x, num_classes, on_value=1., off_value=0.):
        x = x.long().view(-1, 1)
        return torch.full((x.size()[0], num_classes), off_value).scatter_(1, x, on_value)

    def mixup_target(target, num_classes, lam=1., smoothing=0.0):
        off_value = smoothing / num_classes
        on_value = 1. - smoothing + off_value
        y1 = one_hot(target, num_classes, on_value=on_value, off_value=off_value)
        y2 = one_hot(target.flip(0), num_classes, on_value=on_value, off_value=off_value)
        return y1 * lam + y2 * (1. - lam)

    def rand_bbox(img_shape, lam, cy, cx):  # timm's, with np.random.randint's draws given
        ratio = np.sqrt(1 - lam)
        img_h, img_w = img_shape[-2:]
        cut_h, cut_w = int(img_h * ratio), int(img_w * ratio)
        yl = np.clip(cy - cut_h // 2, 0, img_h)
        yh = np.clip(cy + cut_h // 2, 0, img_h)
        xl = np.clip(cx - cut_w // 2, 0, img_w)
        xh = np.clip(cx + cut_w // 2, 0, img_w)
        return yl, yh, xl, xh

    def cutmix_bbox_and_lam(img_shape, lam, cy, cx):
        yl, yu, xl, xu = rand_bbox(img_shape, lam, cy, cx)
        bbox_area = (yu - yl) * (xu - xl)
        return (yl, yu, xl, xu), 1. - bbox_area / float(img_shape[-2] * img_shape[-1])

    def soft_target_cross_entropy(x, target):
        return torch.sum(-target * F.log_softmax(x, dim=-1), dim=-1).mean()

    out = {}
    lam = d['mixup_lambda']
    mixed = x.clone()
    x_flipped = mixed.flip(0).mul_(1. - lam)
    mixed.mul_(lam).add_(x_flipped)
    t = mixup_target(target, d['classes'], lam, d['smoothing'])
    out['mixup_images'] = mixed.flatten().tolist()
    out['mixup_targets'] = t.flatten().tolist()
    out['mixup_loss'] = soft_target_cross_entropy(logits, t).item()
    out['mixup_weighted_loss'] = F.cross_entropy(logits, t, weight=weight).item()

    (yl, yh, xl, xh), lam = cutmix_bbox_and_lam(x.shape, d['cutmix_lambda'], d['cy'], d['cx'])
    mixed = x.clone()
    mixed[:, :, yl:yh, xl:xh] = mixed.flip(0)[:, :, yl:yh, xl:xh]
    t = mixup_target(target, d['classes'], lam, d['smoothing'])
    out['cutmix_box'] = [int(yl), int(yh), int(xl), int(xh)]
    out['cutmix_lambda'] = lam
    out['cutmix_images'] = mixed.flatten().tolist()
    out['cutmix_targets'] = t.flatten().tolist()
    out['cutmix_loss'] = soft_target_cross_entropy(logits, t).item()

    boxes = []
    for (h, w, lam, cy, cx) in d['box_cases']:
        box, corrected = cutmix_bbox_and_lam((h, w), lam, cy, cx)
        boxes.append([int(v) for v in box] + [corrected])
    out['boxes'] = boxes
    print(json.dumps(out))
    """

    func testMixupAndCutmixMatchTimmsFormulas() throws {
        Engine.manualSeed(11)
        let shape = [5, 3, 7, 9], classes = 4, smoothing = 0.1
        let images = try Tensor.randn(shape), logits = try Tensor.randn([5, classes])
        let labelValues: [Int64] = [0, 3, 1, 3, 2]
        let labels = try Tensor(labelValues, shape: [5])
        let weightValues: [Float] = [0.5, 1, 2, 0.25]
        let (mixupLambda, cutmixLambda, centerY, centerX) = (0.3, 0.55, 1, 8)
        var boxCases: [[Double]] = []
        for (h, w) in [(7, 9), (224, 224), (32, 48)] {
            for lambda in [0.0, 0.2, 0.5, 0.93, 1.0] {
                for (cy, cx) in [(0, 0), (h / 2, w / 3), (h - 1, w - 1)] { boxCases.append([Double(h), Double(w), lambda, Double(cy), Double(cx)]) }
            }
        }
        let reference = try ReferenceJSON.run(code: Self.twin, input: [
            "images": try images.floats(), "shape": shape, "labels": labelValues, "logits": try logits.floats(), "classes": classes,
            "weight": weightValues, "smoothing": smoothing, "mixup_lambda": mixupLambda, "cutmix_lambda": cutmixLambda,
            "cy": centerY, "cx": centerX, "box_cases": boxCases,
        ])
        let mixing = try BatchMixing(mixupAlpha: 0.4, cutmixAlpha: 1, labelSmoothing: smoothing)
        let close = Closeness(atol: 1e-6)
        let batch = LearnerBatch(inputs: images, labels: labels)

        let mixup = try mixing.mix(batch, .mixup(lambda: mixupLambda), classCount: classes)
        XCTAssertNil(close.mismatch(try mixup.inputs.floats(), try ReferenceJSON.floats(reference["mixup_images"])), "mixup images")
        let mixupTargets = try XCTUnwrap(mixup.softTargets)
        XCTAssertNil(close.mismatch(try mixupTargets.floats(), try ReferenceJSON.floats(reference["mixup_targets"])), "mixup targets")
        XCTAssertEqual(try mixup.labels.scalars(as: Int64.self), labelValues, "the labels stay the originals")
        let loss = try Learner.softTargetCrossEntropy()(logits, mixupTargets).item()
        XCTAssertEqual(loss, try XCTUnwrap(reference["mixup_loss"] as? Double), accuracy: 1e-6)
        let weighted = try Learner.softTargetCrossEntropy(weight: Tensor(weightValues))(logits, mixupTargets).item()
        XCTAssertEqual(weighted, try XCTUnwrap(reference["mixup_weighted_loss"] as? Double), accuracy: 1e-6,
                       "class weights act as in torch's cross_entropy with probability targets")

        let box = CutMixBox(imageHeight: 7, imageWidth: 9, lambda: cutmixLambda, centerY: centerY, centerX: centerX)
        XCTAssertEqual([box.top, box.bottom, box.left, box.right], (reference["cutmix_box"] as? [Int]) ?? [])
        XCTAssertEqual(box.correctedLambda, try XCTUnwrap(reference["cutmix_lambda"] as? Double), accuracy: 1e-12)
        let cutmix = try mixing.mix(batch, .cutmix(box), classCount: classes)
        XCTAssertNil(close.mismatch(try cutmix.inputs.floats(), try ReferenceJSON.floats(reference["cutmix_images"])), "cutmix images")
        let cutmixTargets = try XCTUnwrap(cutmix.softTargets)
        XCTAssertNil(close.mismatch(try cutmixTargets.floats(), try ReferenceJSON.floats(reference["cutmix_targets"])), "cutmix targets")
        XCTAssertEqual(try Learner.softTargetCrossEntropy()(logits, cutmixTargets).item(),
                       try XCTUnwrap(reference["cutmix_loss"] as? Double), accuracy: 1e-6)
        XCTAssertEqual(try images.floats(), try batch.inputs.floats(), "mixing leaves the loaded batch alone")

        let boxes = try XCTUnwrap(reference["boxes"] as? [[Double]])
        XCTAssertEqual(boxes.count, boxCases.count)
        for (c, expected) in zip(boxCases, boxes) {
            let box = CutMixBox(imageHeight: Int(c[0]), imageWidth: Int(c[1]), lambda: c[2], centerY: Int(c[3]), centerX: Int(c[4]))
            XCTAssertEqual([box.top, box.bottom, box.left, box.right].map(Double.init), Array(expected.prefix(4)), "box for \(c)")
            XCTAssertEqual(box.correctedLambda, expected[4], accuracy: 1e-12, "corrected lambda for \(c)")
        }
    }

    /// The draws: reproducible per seed and epoch, CutMix chosen about half the time with both on, λ with Beta(α, α)'s
    /// mean 1/2 and variance 1/(4(2α + 1)), and boxes inside the image.
    func testDrawsFollowTheBetaDistributionAndTheSwitch() throws {
        for alpha in [0.2, 1.0] {
            let mixing = try BatchMixing(mixupAlpha: alpha, cutmixAlpha: alpha)
            var generator = SeededRandom(seed: 5, epoch: 3, index: -1)
            let draws = (0..<20_000).map { _ in mixing.draw(imageHeight: 32, imageWidth: 40, using: &generator) }
            var again = SeededRandom(seed: 5, epoch: 3, index: -1)
            XCTAssertEqual(draws.prefix(50).map { $0 }, (0..<50).map { _ in mixing.draw(imageHeight: 32, imageWidth: 40, using: &again) })
            let cutmixShare = Double(draws.filter { if case .cutmix = $0 { return true } else { return false } }.count) / Double(draws.count)
            XCTAssertEqual(cutmixShare, 0.5, accuracy: 0.02, "alpha \(alpha)")
            let lambdas = draws.compactMap { draw -> Double? in if case .mixup(let lambda) = draw { return lambda } else { return nil } }
            let mean = lambdas.reduce(0, +) / Double(lambdas.count)
            let variance = lambdas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lambdas.count)
            XCTAssertEqual(mean, 0.5, accuracy: 0.01, "alpha \(alpha)")
            XCTAssertEqual(variance, 1 / (4 * (2 * alpha + 1)), accuracy: 0.01, "alpha \(alpha)")
            XCTAssertTrue(lambdas.allSatisfy { (0...1).contains($0) })
            for case .cutmix(let box) in draws {
                XCTAssertTrue(0 <= box.top && box.top <= box.bottom && box.bottom <= 32 && 0 <= box.left && box.left <= box.right && box.right <= 40)
            }
        }
        var generator = SeededRandom(seed: 1)
        let tiny = try BetaDistribution(alpha: 1e-3, beta: 1e-3)
        XCTAssertTrue((0..<1000).map { _ in tiny.sample(using: &generator) }.allSatisfy { (0...1).contains($0) }, "tiny alphas stay in [0, 1]")
        let cutmixOnly = try BatchMixing(mixupAlpha: 0, cutmixAlpha: 1)
        guard case .cutmix = cutmixOnly.draw(imageHeight: 8, imageWidth: 8, using: &generator) else { return XCTFail("cutmix alone always cuts") }
    }

    func testBadAlphasAndSmoothingAreRefusedByName() {
        for (mixup, cutmix, name) in [(-0.1, 0.0, "mixup"), (0.0, -1.0, "cutmix"), (Double.nan, 0, "mixup"), (0.0, 0.0, "mixup")] {
            XCTAssertThrowsError(try BatchMixing(mixupAlpha: mixup, cutmixAlpha: cutmix)) { error in
                guard case TrainingError.invalidSetting(let setting, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(setting, name)
            }
        }
        XCTAssertThrowsError(try BatchMixing(mixupAlpha: 1, cutmixAlpha: 0, labelSmoothing: 1))
    }
}
