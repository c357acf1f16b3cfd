import CTFPlugin6

// Provider-level RPCs: metadata, schema, provider configuration, stop.
extension ProviderRouter {
    static func getMetadata(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        do { _ = try UnpackedMessage<Tfplugin6__GetMetadata__Request>(bytes) } catch { return .malformed(error) }
        return Served("", WireArena.pack(Tfplugin6__GetMetadata__Response.self) { arena, response in
            response.pointee.server_capabilities = ServerCapabilities.router.wire(in: arena)
            (response.pointee.n_resources, response.pointee.resources) = arena.repeated(core.resourceList.map { resource in
                let metadata = arena.message(Tfplugin6__GetMetadata__ResourceMetadata.self)
                metadata.pointee.type_name = arena.string(resource.typeName)
                return metadata
            })
            (response.pointee.n_data_sources, response.pointee.data_sources) = arena.repeated(core.dataSourceList.map { dataSource in
                let metadata = arena.message(Tfplugin6__GetMetadata__DataSourceMetadata.self)
                metadata.pointee.type_name = arena.string(dataSource.typeName)
                return metadata
            })
        })
    }

    /// Encoded once per process: the schema cannot change under a running
    /// plugin, and Terraform asks for it at almost every launch.
    static func getProviderSchema(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        do { _ = try UnpackedMessage<Tfplugin6__GetProviderSchema__Request>(bytes) } catch { return .malformed(error) }
        return Served("", core.providerSchemaResponse.get { providerSchemaResponse(core) })
    }

    static func providerSchemaResponse(_ core: RouterCore) -> [UInt8] {
        WireArena.pack(Tfplugin6__GetProviderSchema__Response.self) { arena, response in
            response.pointee.provider = core.provider.schema.wire(in: arena)
            if let meta = core.provider.providerMetaSchema {
                response.pointee.provider_meta = meta.wire(in: arena)
            }
            (response.pointee.n_resource_schemas, response.pointee.resource_schemas) = arena.repeated(core.resourceList.map { resource in
                let entry = arena.message(Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry.self)
                entry.pointee.key = arena.string(resource.typeName)
                entry.pointee.value = resource.schema.wire(in: arena)
                return entry
            })
            (response.pointee.n_data_source_schemas, response.pointee.data_source_schemas) = arena.repeated(core.dataSourceList.map { dataSource in
                let entry = arena.message(Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry.self)
                entry.pointee.key = arena.string(dataSource.typeName)
                entry.pointee.value = dataSource.schema.wire(in: arena)
                return entry
            })
            response.pointee.server_capabilities = ServerCapabilities.router.wire(in: arena)
        }
    }

    static func validateProviderConfig(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ValidateProviderConfig__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let request: ValidateProviderConfigRequest
        do throws(RejectedRequest) {
            request = try message.withMessage { message throws(RejectedRequest) in
                ValidateProviderConfigRequest(config: try decodeValue(message.config, as: core.provider.schema.impliedType, "provider configuration"))
            }
        } catch {
            return Served("", validateProviderConfigResponse([error.diagnostic]))
        }
        let provider = core.provider
        let diagnostics = await core.calls.run { await provider.validateConfig(request) }
        return Served("", validateProviderConfigResponse(diagnostics))
    }

    static func validateProviderConfigResponse(_ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__ValidateProviderConfig__Response.self) { arena, response in
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    static func configureProvider(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        let message: UnpackedMessage<Tfplugin6__ConfigureProvider__Request>
        do { message = try UnpackedMessage(bytes) } catch { return .malformed(error) }
        let request: ConfigureProviderRequest
        do throws(RejectedRequest) {
            request = try message.withMessage { message throws(RejectedRequest) in
                ConfigureProviderRequest(
                    terraformVersion: String(wire: message.terraform_version),
                    config: try decodeValue(message.config, as: core.provider.schema.impliedType, "provider configuration")
                )
            }
        } catch {
            return Served("", configureProviderResponse([error.diagnostic]))
        }
        let provider = core.provider
        let diagnostics = await core.calls.run { await provider.configure(request) }
        return Served("", configureProviderResponse(diagnostics))
    }

    static func configureProviderResponse(_ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(Tfplugin6__ConfigureProvider__Response.self) { arena, response in
            (response.pointee.n_diagnostics, response.pointee.diagnostics) = diagnostics.wire(in: arena)
        }
    }

    /// Cancels the calls in flight, then lets the provider stop its own
    /// work. The empty `Error` field tells Terraform the stop succeeded.
    static func stopProvider(_ core: RouterCore, _ bytes: [UInt8]) async -> Served {
        do { _ = try UnpackedMessage<Tfplugin6__StopProvider__Request>(bytes) } catch { return .malformed(error) }
        let cancelled = core.calls.cancelAll()
        PluginLog.debug("Stopping: cancelled the calls in flight", ["count": String(cancelled)])
        await core.provider.stop()
        return Served("", WireArena.pack(Tfplugin6__StopProvider__Response.self) { _, _ in })
    }
}
