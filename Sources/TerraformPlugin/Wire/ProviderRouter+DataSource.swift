import CTFPlugin6

// Data source RPCs.
extension ProviderRouter {
    static func validateDataResourceConfig(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ValidateDataResourceConfig__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let typeName = message.withMessage { String(wire: $0.type_name) }
        let dataSource: any DataSource
        let request: ValidateDataSourceConfigRequest
        do throws(RejectedRequest) {
            dataSource = try core.dataSource(named: typeName)
            let type = dataSource.schema.impliedType
            request = try message.withMessage { message throws(RejectedRequest) in
                ValidateDataSourceConfigRequest(typeName: typeName, config: try decodeValue(message.config, as: type, "data source configuration"))
            }
        } catch {
            return Served(typeName, validateDataResourceConfigResponse([error.diagnostic]))
        }
        let diagnostics = await core.calls.run { await dataSource.validateConfig(request) }
        return Served(typeName, validateDataResourceConfigResponse(diagnostics))
    }

    static func validateDataResourceConfigResponse(_ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__ValidateDataResourceConfig__Response.self) { arena, response in
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    static func readDataSource(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ReadDataSource__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let typeName = message.withMessage { String(wire: $0.type_name) }
        let dataSource: any DataSource
        let request: ReadDataSourceRequest
        do throws(RejectedRequest) {
            dataSource = try core.dataSource(named: typeName)
            let type = dataSource.schema.impliedType
            request = try message.withMessage { message throws(RejectedRequest) in
                ReadDataSourceRequest(
                    typeName: typeName,
                    config: try decodeValue(message.config, as: type, "data source configuration"),
                    providerMeta: try core.providerMeta(message.provider_meta)
                )
            }
        } catch {
            return Served(typeName, readDataSourceResponse(state: nil, [error.diagnostic]))
        }
        let response = await core.calls.run { await dataSource.read(request) }
        var diagnostics = response.diagnostics
        let state = encodeProduced(response.state, as: dataSource.schema.impliedType, "state", typeName: typeName, into: &diagnostics)
        return Served(typeName, readDataSourceResponse(state: state, diagnostics))
    }

    static func readDataSourceResponse(state: [UInt8]?, _ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__ReadDataSource__Response.self) { arena, response in
            if let state { response.pointee.state = DynamicValueWire.message(msgpack: state, in: arena) }
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }
}
