/// How `tokenizers` 0.13 shortens a pair of sequences to a token budget with its `longest_first` strategy.
enum LongestFirstTruncation {
    /// The lengths the two sequences keep (`first + second` ≤ `budget` when they must shrink): the shorter keeps
    /// everything when the longer can make up the rest; otherwise both are cut to half the budget, the longer (the
    /// second on a tie) getting the odd token.
    static func lengths(first: Int, second: Int, budget: Int) -> (first: Int, second: Int) {
        guard first + second > budget else { return (first, second) }
        let swapped = first > second
        var shorter = min(first, second), longer: Int
        longer = shorter > budget ? shorter : max(shorter, budget - shorter)
        if shorter + longer > budget {
            shorter = budget / 2
            longer = shorter + budget % 2
        }
        return swapped ? (longer, shorter) : (shorter, longer)
    }
}
