import CTFPlugin6

/// A protobuf-c message struct paired with its descriptor. The pairing lives
/// here, once per type, so that no call site can unpack or initialise a
/// struct with another message's descriptor (protobuf-c would trust it and
/// read or write past the struct).
///
/// The descriptor comes from the generated `ctfplugin6_*` accessors: Swift
/// may copy an imported C constant, and protobuf-c compares descriptors by
/// address.
protocol WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { get }
}

// MARK: - Shared messages

extension Tfplugin6__DynamicValue: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__dynamic_value() }
}

extension Tfplugin6__Diagnostic: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__diagnostic() }
}

extension Tfplugin6__AttributePath: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__attribute_path() }
}

extension Tfplugin6__AttributePath__Step: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__attribute_path__step() }
}

extension Tfplugin6__RawState: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__raw_state() }
}

extension Tfplugin6__ServerCapabilities: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__server_capabilities() }
}

extension Tfplugin6__Schema: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__schema() }
}

extension Tfplugin6__Schema__Block: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__schema__block() }
}

extension Tfplugin6__Schema__Attribute: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__schema__attribute() }
}

extension Tfplugin6__Schema__NestedBlock: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__schema__nested_block() }
}

// MARK: - Provider RPCs

extension Tfplugin6__GetMetadata__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__request() }
}

extension Tfplugin6__GetMetadata__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__response() }
}

extension Tfplugin6__GetMetadata__ResourceMetadata: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__resource_metadata() }
}

extension Tfplugin6__GetMetadata__DataSourceMetadata: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__data_source_metadata() }
}

extension Tfplugin6__GetProviderSchema__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_provider_schema__request() }
}

extension Tfplugin6__GetProviderSchema__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_provider_schema__response() }
}

extension Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        ctfplugin6_tfplugin6__get_provider_schema__response__resource_schemas_entry()
    }
}

extension Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        ctfplugin6_tfplugin6__get_provider_schema__response__data_source_schemas_entry()
    }
}

extension Tfplugin6__ValidateProviderConfig__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_provider_config__request() }
}

extension Tfplugin6__ValidateProviderConfig__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_provider_config__response() }
}

extension Tfplugin6__ConfigureProvider__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__configure_provider__request() }
}

extension Tfplugin6__ConfigureProvider__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__configure_provider__response() }
}

extension Tfplugin6__StopProvider__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__stop_provider__request() }
}

extension Tfplugin6__StopProvider__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__stop_provider__response() }
}

// MARK: - Managed resource RPCs

extension Tfplugin6__ValidateResourceConfig__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_resource_config__request() }
}

extension Tfplugin6__ValidateResourceConfig__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_resource_config__response() }
}

extension Tfplugin6__UpgradeResourceState__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__upgrade_resource_state__request() }
}

extension Tfplugin6__UpgradeResourceState__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__upgrade_resource_state__response() }
}

extension Tfplugin6__ReadResource__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__read_resource__request() }
}

extension Tfplugin6__ReadResource__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__read_resource__response() }
}

extension Tfplugin6__PlanResourceChange__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__plan_resource_change__request() }
}

extension Tfplugin6__PlanResourceChange__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__plan_resource_change__response() }
}

extension Tfplugin6__ApplyResourceChange__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__apply_resource_change__request() }
}

extension Tfplugin6__ApplyResourceChange__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__apply_resource_change__response() }
}

extension Tfplugin6__ImportResourceState__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__import_resource_state__request() }
}

extension Tfplugin6__ImportResourceState__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__import_resource_state__response() }
}

extension Tfplugin6__ImportResourceState__ImportedResource: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__import_resource_state__imported_resource() }
}

// MARK: - Data source RPCs

extension Tfplugin6__ValidateDataResourceConfig__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_data_resource_config__request() }
}

extension Tfplugin6__ValidateDataResourceConfig__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_data_resource_config__response() }
}

extension Tfplugin6__ReadDataSource__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__read_data_source__request() }
}

extension Tfplugin6__ReadDataSource__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__read_data_source__response() }
}
