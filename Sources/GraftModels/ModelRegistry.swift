import Foundation
import GraftNN

/// An image architecture that ``Models`` builds by name: what `graft train --model`, `PretrainedModel` and the
/// reloading of a checkpoint (which records the model's name) use.
///
/// The model the builder returns carries the rest: its ``PretrainedConfig`` (preprocessing and classifier name), its
/// layer groups and its staged forward, as every ``ImageClassifier`` does.
public struct Architecture: Sendable {
    /// The name the architecture is built by and checkpoints record (torchvision's for the built-in ones, e.g.
    /// `resnext50_32x4d`); it must equal the built model's `name`.
    public let name: String
    /// Builds a freshly initialised model (seeded by `Engine.manualSeed`) with the given number of outputs.
    public let build: @Sendable (_ numClasses: Int) throws -> ImageClassifier

    /// An architecture called `name`, made by `build`.
    public init(_ name: String, build: @escaping @Sendable (_ numClasses: Int) throws -> ImageClassifier) {
        self.name = name
        self.build = build
    }
}

/// Builds image models by name, like `torchvision.models.get_model`, from the built-in architectures and those a
/// program registers with ``register(_:)``.
///
/// Names match ignoring case, `-` and `_`: `ResNeXt50-32x4d`, `mobilenetv2` and `mobilenet_v2` all work.
public enum Models {
    /// The names `make` accepts, built-in ones first, in registration order.
    public static var names: [String] { registry.architectures.map(\.name) }

    /// Makes `architecture` available by name to `make`, and so to `PretrainedModel` and to checkpoint reloading,
    /// for the rest of the process. Throws when its name (ignoring case, `-` and `_`) is empty or already taken.
    public static func register(_ architecture: Architecture) throws {
        try registry.add(architecture)
    }

    /// The architecture registered under `name`, if any.
    public static func architecture(named name: String) -> Architecture? {
        registry.architecture(named: name)
    }

    /// A freshly initialised model (seeded by `Engine.manualSeed`) with `numClasses` outputs.
    public static func make(_ name: String, numClasses: Int = 1000) throws -> ImageClassifier {
        guard let architecture = architecture(named: name) else {
            throw NNError.invalidConfiguration("unknown model '\(name)'; choose one of \(names.joined(separator: ", "))")
        }
        let model = try architecture.build(numClasses)
        guard model.name == architecture.name else {
            throw NNError.invalidConfiguration(
                "the builder registered as '\(architecture.name)' made a model named '\(model.name)'; the names must agree, since checkpoints record the model's name")
        }
        return model
    }

    /// The form names are compared in.
    static func key(_ name: String) -> String {
        name.lowercased().filter { $0 != "-" && $0 != "_" }
    }

    private static let registry = Registry(BuiltInArchitectures.all)

    /// The registered architectures, safe to read and extend from any thread.
    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Architecture] = []
        private var byKey: [String: Architecture] = [:]

        init(_ builtIn: [Architecture]) {
            for architecture in builtIn {
                list.append(architecture)
                byKey[Models.key(architecture.name)] = architecture
            }
        }

        var architectures: [Architecture] { lock.withLock { list } }

        func architecture(named name: String) -> Architecture? { lock.withLock { byKey[Models.key(name)] } }

        func add(_ architecture: Architecture) throws {
            let key = Models.key(architecture.name)
            try lock.withLock {
                guard !key.isEmpty else { throw NNError.invalidConfiguration("an architecture needs a name") }
                if let taken = byKey[key] {
                    throw NNError.invalidConfiguration("an architecture named '\(taken.name)' is already registered; choose another name than '\(architecture.name)'")
                }
                list.append(architecture)
                byKey[key] = architecture
            }
        }
    }
}
