import Foundation

extension FineTuneSettings {
    /// The most backbone work, in full-size image passes (`autoWork(trainingExamples:pretrainedImageSide:)`), for
    /// which `Strategy.auto` fine-tunes the whole network. Chosen with the accuracy suite (docs/accuracy.md): its four
    /// data sets (235–689 passes) gain up to 4.5 points from a full fine-tune over progressive unfreezing, at three to
    /// six times the time, while on the seed-recipe case (5,000 images × 6 epochs at 96 of 224 px: 5,510 passes) a
    /// full fine-tune would take many times longer than unfreezing the last stage. 2,000 sits between them.
    public static let autoFullFineTuneLimit = 2_000.0

    /// The backbone work of a run over `trainingExamples` images, in full-size image passes: images × epochs × the
    /// share of the pretrained input's pixels each image has, `(imageSize / pretrainedImageSide)²` (`imageSize` nil =
    /// the pretrained side). Nil for models that do not take images (`pretrainedImageSide` nil).
    public func autoWork(trainingExamples: Int, pretrainedImageSide: Int?) -> Double? {
        guard let pretrainedImageSide, pretrainedImageSide > 0 else { return nil }
        let share = pow(Double(imageSize ?? pretrainedImageSide) / Double(pretrainedImageSide), 2)
        return Double(trainingExamples) * Double(epochs) * share
    }

    /// What `Strategy.auto` stands for in this run: `full` when `autoWork` is at most `autoFullFineTuneLimit` (a full
    /// fine-tune is then affordable and, measured, the most accurate), otherwise `progressive`; text models
    /// (`pretrainedImageSide` nil) and runs that set `headEpochs` (a progressive setting) get `progressive`.
    public func autoStrategy(trainingExamples: Int, pretrainedImageSide: Int?) -> Strategy {
        guard headEpochs == nil, let work = autoWork(trainingExamples: trainingExamples, pretrainedImageSide: pretrainedImageSide) else {
            return .progressive
        }
        return work <= Self.autoFullFineTuneLimit ? .full : .progressive
    }

    /// The shortest run (in epochs) in which `auto`'s full fine-tune starts with a warm-up epoch: the warm-up then
    /// takes at most a quarter of the run.
    public static let autoWarmupMinimumEpochs = 4

    /// These settings with `strategy` made concrete for the run: `auto` becomes
    /// `autoStrategy(trainingExamples:pretrainedImageSide:)`; any other strategy stays. A full fine-tune chosen this way
    /// starts with one warm-up epoch at a tenth of the rates (unless `warmupEpochs` is set or the run is shorter than
    /// `autoWarmupMinimumEpochs`): the new head is random, and its first large gradients would otherwise reach every
    /// pretrained layer at full rate (measured on the suite's 6-epoch sets: +0.1 and +3.1 points).
    public func resolvingAutoStrategy(trainingExamples: Int, pretrainedImageSide: Int?) -> FineTuneSettings {
        guard strategy == .auto else { return self }
        var resolved = self
        resolved.strategy = autoStrategy(trainingExamples: trainingExamples, pretrainedImageSide: pretrainedImageSide)
        if resolved.strategy == .full && warmupEpochs == 0 && epochs >= Self.autoWarmupMinimumEpochs {
            resolved.warmupEpochs = 1
        }
        return resolved
    }

    /// One line saying what `auto` chooses for this run and why, naming settings in backticks (as `PitfallGuards`
    /// warnings do, so a front end can name its own flags).
    public func autoStrategyExplanation(trainingExamples: Int, pretrainedImageSide: Int?) -> String {
        guard headEpochs == nil else { return "strategy auto: progressive (head epochs were given)" }
        guard let work = autoWork(trainingExamples: trainingExamples, pretrainedImageSide: pretrainedImageSide),
              let pretrainedImageSide else {
            return "strategy auto: progressive (text models unfreeze their last layers progressively)"
        }
        let resolved = resolvingAutoStrategy(trainingExamples: trainingExamples, pretrainedImageSide: pretrainedImageSide)
        let full = resolved.strategy == .full
        let epochCount = "\(epochs) epoch\(epochs == 1 ? "" : "s")"
        let size = "(\(imageSize ?? pretrainedImageSide)/\(pretrainedImageSide) px)²"
        return "strategy auto: \(resolved.strategy.rawValue)\(resolved.warmupEpochs > warmupEpochs ? " with a warm-up epoch" : "") "
            + "(\(trainingExamples) images × \(epochCount) × \(size) = \(Int(work.rounded())) full-size image passes, "
            + "\(full ? "at most" : "over") \(Int(Self.autoFullFineTuneLimit)); "
            + (full ? "`strategy` progressive trains faster)" : "`strategy` full may be more accurate but slower)")
    }
}
