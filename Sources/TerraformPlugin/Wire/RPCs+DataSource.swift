import CTFPlugin6

// Data source RPCs.

enum ValidateDataResourceConfigRPC: RPC {
    typealias WireRequest = Tfplugin6__ValidateDataResourceConfig__Request
    typealias WireResponse = Tfplugin6__ValidateDataResourceConfig__Response
    typealias Target = any DataSource
    static let name = "ValidateDataResourceConfig"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ValidateDataSourceConfigRequest {
        ValidateDataSourceConfigRequest(typeName: values.typeName, config: try values.decode(message.config, .config("data source configuration")))
    }

    static func call(_ dataSource: any DataSource, _ request: ValidateDataSourceConfigRequest) async -> [Diagnostic] {
        await dataSource.validateConfig(request)
    }

    static func toWire(_ response: [Diagnostic], _ request: ValidateDataSourceConfigRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}
}

enum ReadDataSourceRPC: RPC {
    typealias WireRequest = Tfplugin6__ReadDataSource__Request
    typealias WireResponse = Tfplugin6__ReadDataSource__Response
    typealias Target = any DataSource
    static let name = "ReadDataSource"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ReadDataSourceRequest {
        ReadDataSourceRequest(
            typeName: values.typeName,
            config: try values.decode(message.config, .config("data source configuration")),
            providerMeta: try values.providerMeta(message.provider_meta)
        )
    }

    static func call(_ dataSource: any DataSource, _ request: ReadDataSourceRequest) async -> ReadDataSourceResponse {
        await dataSource.read(request)
    }

    static func toWire(_ response: ReadDataSourceResponse, _ request: ReadDataSourceRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {
        message.pointee.state = writer.value(response.state, "state")
    }
}
