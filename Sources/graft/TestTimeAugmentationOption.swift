import ArgumentParser
import GraftTrain

extension TestTimeAugmentation.Views: ExpressibleByArgument {}

extension TestTimeAugmentation {
    /// `--tta`'s help, shared by `graft evaluate` and `graft predict`.
    static let optionHelp = ArgumentHelp(
        "Test-time augmentation: average the softmax over views. flip: the evaluation view and its mirror (2 passes); "
            + "crops: the four corner crops and the centre crop of the resized image, and their mirrors (10 passes); none.")

    /// The augmentation `--tta` asks for (nil for none), for a run trained with `settings`.
    static func requested(_ views: Views, settings: FineTuneSettings) -> TestTimeAugmentation? {
        // Every run may be mirrored until the settings carry an orientation flag; then pass it as `allowsFlip`.
        views == .none ? nil : TestTimeAugmentation(views, allowsFlip: true)
    }
}
