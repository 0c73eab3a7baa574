import ArgumentParser
import GraftTrain

extension TestTimeAugmentation.Views: ExpressibleByArgument {}

extension TestTimeAugmentation {
    /// `--tta`'s help, shared by `graft evaluate` and `graft predict`.
    static let optionHelp = ArgumentHelp(
        "Test-time augmentation: average the softmax over views. flip: the evaluation view and its mirror (2 passes); "
            + "crops: the four corner crops and the centre crop of the resized image, and their mirrors (10 passes); none.")

    /// The augmentation `--tta` asks for (nil for none), for a run trained with `settings`: a run trained without
    /// mirroring (`--no-flip`, orientation-sensitive data) is never mirrored at test time either.
    static func requested(_ views: Views, settings: FineTuneSettings) -> TestTimeAugmentation? {
        views == .none ? nil : TestTimeAugmentation(views, allowsFlip: settings.flip)
    }
}
