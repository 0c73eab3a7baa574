/// Everything that can go wrong while reading, decoding or transforming training data.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read at all (missing, a directory, permissions).
    case unreadableFile(path: String, reason: String)
    /// The file exists but holds no bytes.
    case emptyFile(path: String)
    /// The bytes are neither JPEG nor PNG; `firstBytes` is the hex of the first few bytes.
    case unknownFormat(path: String, firstBytes: String)
    /// The JPEG or PNG is damaged or truncated.
    case corruptImage(path: String, format: String, reason: String)
    /// The header declares more pixels than `limit` (PIL's decompression-bomb limit); refused before decoding.
    case imageTooLarge(path: String, format: String, width: Int, height: Int, limit: Int)
    /// A transform cannot be applied to an image of this size.
    case invalidTransform(String)
    /// A directory could not be listed.
    case unreadableDirectory(path: String, reason: String)
    /// The dataset layout is wrong (no class folders, an empty class folder...).
    case invalidDataset(path: String, reason: String)
    /// A row of a CSV/TSV label file is wrong; `line` is 1-based.
    case invalidLabelFile(path: String, line: Int, reason: String)
    /// A table (CSV, TSV, JSON lines) has no column `name` for the setting `setting` (e.g. `textColumn`);
    /// `available` lists the columns it has.
    case missingColumn(path: String, setting: String, name: String, available: [String])
    /// An IDX (MNIST format) file is malformed; `offset` is the byte offset of the problem.
    case invalidIDX(path: String, offset: Int, reason: String)
    /// A gzip stream could not be inflated.
    case invalidGzip(path: String, reason: String)
    /// A loader or split parameter is out of range.
    case invalidArgument(String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): return "`\(RawFileName.displayed(path))`: cannot read file (\(reason))"
        case let .emptyFile(path): return "`\(RawFileName.displayed(path))`: file is empty"
        case let .unknownFormat(path, firstBytes): return "`\(RawFileName.displayed(path))`: not a JPEG or PNG (first bytes \(firstBytes))"
        case let .corruptImage(path, format, reason): return "`\(RawFileName.displayed(path))`: damaged \(format) (\(reason))"
        case let .imageTooLarge(path, format, width, height, limit):
            return "`\(RawFileName.displayed(path))`: \(format) of \(width)×\(height) pixels exceeds the limit of \(limit) pixels (a decompression bomb?); refused before decoding"
        case let .invalidTransform(reason): return "transform: \(reason)"
        case let .unreadableDirectory(path, reason): return "`\(RawFileName.displayed(path))`: cannot list directory (\(reason))"
        case let .invalidDataset(path, reason): return "`\(RawFileName.displayed(path))`: \(reason)"
        case let .invalidLabelFile(path, line, reason): return "`\(RawFileName.displayed(path))` line \(line): \(reason)"
        case let .missingColumn(path, setting, name, available):
            return "`\(RawFileName.displayed(path))`: no column `\(name)` (`\(setting)`); the columns are: \(available.map { "`\($0)`" }.joined(separator: ", "))"
        case let .invalidIDX(path, offset, reason): return "`\(RawFileName.displayed(path))` at byte \(offset): not a valid IDX file (\(reason))"
        case let .invalidGzip(path, reason): return "`\(RawFileName.displayed(path))`: cannot gunzip (\(reason))"
        case let .invalidArgument(reason): return reason
        }
    }
}
