import CTFPlugin6

/// `RawState`: a stored state as UpgradeResourceState receives it.
enum RawStateWire {
    /// The state as JSON, or nil when Terraform sent none: a legacy flatmap
    /// state (or no state at all), which no provider of this package wrote.
    static func json(_ wire: UnsafePointer<Tfplugin6__RawState>?) -> [UInt8]? {
        guard let wire else { return nil }
        let json = [UInt8](wire: wire.pointee.json)
        return json.isEmpty ? nil : json
    }
}
