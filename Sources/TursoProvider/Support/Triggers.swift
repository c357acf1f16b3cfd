import TerraformPlugin

extension CtyValue {
    /// Compares two `triggers` maps, where a null map and an empty one mean
    /// the same: no triggers. An unknown map (or value) counts as a change,
    /// since it may turn out different.
    func sameTriggers(as other: CtyValue) -> Bool {
        guard isWhollyKnown, other.isWhollyKnown else { return false }
        return (attributes ?? [:]) == (other.attributes ?? [:])
    }
}
