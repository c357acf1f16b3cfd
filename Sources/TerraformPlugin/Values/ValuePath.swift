/// Where a value walker (the MessagePack and JSON decoders, the encoder) is
/// in the value, so that an error names the attribute. One type for all
/// three, its steps kept out of line like the walkers' other helpers, so
/// the recursive functions keep small stack frames.
struct ValuePath {
    private var steps: [AttributePath.Step] = []

    init() { steps.reserveCapacity(16) }

    /// Enters a list, set or tuple; `setIndex` then moves along it.
    @inline(never)
    mutating func pushIndex() { steps.append(.index(0)) }

    @inline(never)
    mutating func setIndex(_ index: Int) { steps[steps.count - 1] = .index(Int64(index)) }

    @inline(never)
    mutating func push(_ step: AttributePath.Step) { steps.append(step) }

    @inline(never)
    mutating func pop() { steps.removeLast() }

    @inline(never)
    func error(_ message: String) -> ValueCodingError {
        ValueCodingError(message, at: AttributePath(steps))
    }

    /// A decoded list, set or tuple, typed as cty types it; a failure
    /// (elements of incompatible types) is an error at this path.
    @inline(never)
    func collection(_ type: CtyType, _ elements: [CtyValue], concretised: Bool) throws(ValueCodingError) -> CtyValue {
        do {
            return try DecodedValueTypes.collection(type, elements, concretised: concretised)
        } catch {
            throw self.error(error.message)
        }
    }

    /// A decoded map, typed likewise.
    @inline(never)
    func map(_ elementType: CtyType, _ elements: [String: CtyValue], concretised: Bool) throws(ValueCodingError) -> CtyValue {
        do {
            return try DecodedValueTypes.map(elementType, elements, concretised: concretised)
        } catch {
            throw self.error(error.message)
        }
    }
}
