import Foundation

/// Images listed in a CSV or TSV file of `filename,label` rows (header optional), like the classic
/// `CustomImageDataset(annotations_file, img_dir)`. Labels are class indices or class names.
public struct LabeledFiles: FileImageDataset {
    /// The CSV/TSV file.
    public let labelFile: String
    /// The directory relative file names are resolved against.
    public let imageDirectory: String
    /// Class names: as given, else `0...max` for numeric labels, else the distinct names in byte order.
    public let classes: [String]
    /// The listed files, in file order.
    public let samples: [LabeledFile]

    /// Reads and validates the label file; any bad row (too few fields, unknown label, missing image) throws
    /// with the file and line. Tab-separated when the file ends in .tsv or its first line contains a tab.
    public init(labelFile: String, imageDirectory: String, classes: [String]? = nil) throws {
        let bytes = try FileBytes.read(labelFile)
        let text = String(decoding: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let delimiter: Character = labelFile.lowercased().hasSuffix(".tsv") || firstLine.contains("\t") ? "\t" : ","
        var rows = try DelimitedText.parse(text, delimiter: delimiter, path: labelFile)
        for row in rows where row.fields.count < 2 || row.fields[0].isEmpty {
            throw DataError.invalidLabelFile(path: labelFile, line: row.line, reason: "expected `filename\(delimiter == "\t" ? "<tab>" : ",")label`, got \(row.fields.count) field(s)")
        }
        func resolve(_ name: String) -> String { name.hasPrefix("/") ? name : imageDirectory + "/" + name }
        // A first row naming no existing file and no image-like file name is a header.
        if let first = rows.first, !FileManager.default.fileExists(atPath: resolve(first.fields[0])),
           !ImageFolder.hasImageExtension(first.fields[0]) {
            rows.removeFirst()
        }
        guard !rows.isEmpty else { throw DataError.invalidLabelFile(path: labelFile, line: 1, reason: "no image rows") }

        let lookup = ClassNames.Lookup(classes: classes ?? ClassNames.infer(rows.map { $0.fields[1] }))
        var samples: [LabeledFile] = []
        for row in rows {
            let name = row.fields[1]
            guard let label = lookup.label(of: name) else {
                throw DataError.invalidLabelFile(path: labelFile, line: row.line, reason: lookup.unknownLabelReason(name))
            }
            let path = resolve(row.fields[0])
            guard FileManager.default.fileExists(atPath: path) else {
                throw DataError.invalidLabelFile(path: labelFile, line: row.line, reason: "image `\(path)` does not exist")
            }
            samples.append(LabeledFile(path: path, label: label))
        }
        self.labelFile = labelFile
        self.imageDirectory = imageDirectory
        self.classes = lookup.classes
        self.samples = samples
    }
}
