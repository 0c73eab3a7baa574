import GraftData

extension LabeledTexts {
    /// Reads `root/<class name>/**/*.txt` (one text per file), classes and files in byte order like `ImageFolder`.
    static func readFolder(_ root: String, options: TextReadingOptions) throws -> LabeledTexts {
        let classNames = try FolderWalk.classFolders(root)
        guard !classNames.isEmpty else {
            throw DataError.invalidDataset(path: root, reason: "no class folders found (expected root/<class name>/<.txt files>)")
        }
        var collector = TextRowCollector(source: root, options: options)
        for name in classNames {
            let files = try FolderWalk.files(under: root + "/" + name, where: { $0.lowercased().hasSuffix(".txt") })
            guard !files.isEmpty else {
                throw DataError.invalidDataset(path: root + "/" + name, reason: "class folder contains no .txt files")
            }
            for path in files {
                let origin = TextOrigin(file: path, line: nil)
                let lines: TextFileLines
                do {
                    lines = try TextFileLines(path: path)
                } catch DataError.emptyFile {
                    try collector.reject(origin, reason: "empty text")
                    continue
                } catch {
                    try collector.reject(origin, reason: String(describing: error))
                    continue
                }
                if let problem = lines.encodingProblem(onLines: 1...max(lines.lines.count, 1)) {
                    try collector.reject(origin, reason: problem)
                    continue
                }
                try collector.add(text: lines.wholeText, label: name, from: origin)
            }
        }
        return try collector.finish(labelSource: "the folder", emptyReason: "no texts", discoveredClasses: classNames)
    }
}
