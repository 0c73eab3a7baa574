/// torchvision's `_make_divisible(value, divisor)`: `value` rounded to the nearest multiple of `divisor` (halves
/// up), at least `divisor`, and never more than 10% below `value`.
func makeDivisible(_ value: Double, _ divisor: Int) -> Int {
    let rounded = max(divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
    return Double(rounded) < 0.9 * value ? rounded + divisor : rounded
}
