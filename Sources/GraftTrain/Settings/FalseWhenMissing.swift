/// A `Bool` setting that decodes as `false` when its key is missing, so settings saved before the setting existed
/// (in older checkpoints) still decode.
@propertyWrapper
public struct FalseWhenMissing: Codable, Sendable, Equatable {
    /// The value.
    public var wrappedValue: Bool

    /// Wraps `wrappedValue`.
    public init(wrappedValue: Bool) { self.wrappedValue = wrappedValue }

    /// Decodes a plain `Bool`.
    public init(from decoder: Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode(Bool.self) }

    /// Encodes a plain `Bool`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// A missing `FalseWhenMissing` key decodes as `false` (the synthesized `init(from:)` calls this overload).
    public func decode(_ type: FalseWhenMissing.Type, forKey key: Key) throws -> FalseWhenMissing {
        try decodeIfPresent(type, forKey: key) ?? FalseWhenMissing(wrappedValue: false)
    }
}
