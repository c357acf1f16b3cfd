import CTFPlugin6

// The messages of resource identity, moves, list resources, functions and
// actions (see WireMessage.swift for why each type names its descriptor).

extension Tfplugin6__ResourceIdentitySchema: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__resource_identity_schema() }
}

extension Tfplugin6__ResourceIdentitySchema__IdentityAttribute: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__resource_identity_schema__identity_attribute() }
}

extension Tfplugin6__ResourceIdentityData: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__resource_identity_data() }
}

extension Tfplugin6__ActionSchema: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__action_schema() }
}

extension Tfplugin6__Function: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__function() }
}

extension Tfplugin6__Function__Parameter: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__function__parameter() }
}

extension Tfplugin6__Function__Return: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__function__return() }
}

extension Tfplugin6__FunctionError: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__function_error() }
}

extension Tfplugin6__GetMetadata__FunctionMetadata: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__function_metadata() }
}

extension Tfplugin6__GetMetadata__ListResourceMetadata: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__list_resource_metadata() }
}

extension Tfplugin6__GetMetadata__ActionMetadata: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_metadata__action_metadata() }
}

extension Tfplugin6__GetProviderSchema__Response__FunctionsEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_provider_schema__response__functions_entry() }
}

extension Tfplugin6__GetProviderSchema__Response__ListResourceSchemasEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_provider_schema__response__list_resource_schemas_entry() }
}

extension Tfplugin6__GetProviderSchema__Response__ActionSchemasEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_provider_schema__response__action_schemas_entry() }
}

extension Tfplugin6__GetResourceIdentitySchemas__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_resource_identity_schemas__request() }
}

extension Tfplugin6__GetResourceIdentitySchemas__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_resource_identity_schemas__response() }
}

extension Tfplugin6__GetResourceIdentitySchemas__Response__IdentitySchemasEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_resource_identity_schemas__response__identity_schemas_entry() }
}

extension Tfplugin6__UpgradeResourceIdentity__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__upgrade_resource_identity__request() }
}

extension Tfplugin6__UpgradeResourceIdentity__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__upgrade_resource_identity__response() }
}

extension Tfplugin6__MoveResourceState__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__move_resource_state__request() }
}

extension Tfplugin6__MoveResourceState__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__move_resource_state__response() }
}

extension Tfplugin6__GetFunctions__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_functions__request() }
}

extension Tfplugin6__GetFunctions__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_functions__response() }
}

extension Tfplugin6__GetFunctions__Response__FunctionsEntry: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__get_functions__response__functions_entry() }
}

extension Tfplugin6__CallFunction__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__call_function__request() }
}

extension Tfplugin6__CallFunction__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__call_function__response() }
}

extension Tfplugin6__ListResource__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__list_resource__request() }
}

extension Tfplugin6__ListResource__Event: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__list_resource__event() }
}

extension Tfplugin6__ValidateListResourceConfig__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_list_resource_config__request() }
}

extension Tfplugin6__ValidateListResourceConfig__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_list_resource_config__response() }
}

extension Tfplugin6__PlanAction__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__plan_action__request() }
}

extension Tfplugin6__PlanAction__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__plan_action__response() }
}

extension Tfplugin6__InvokeAction__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__invoke_action__request() }
}

extension Tfplugin6__InvokeAction__Event: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__invoke_action__event() }
}

extension Tfplugin6__InvokeAction__Event__Progress: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__invoke_action__event__progress() }
}

extension Tfplugin6__InvokeAction__Event__Completed: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__invoke_action__event__completed() }
}

extension Tfplugin6__ValidateActionConfig__Request: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_action_config__request() }
}

extension Tfplugin6__ValidateActionConfig__Response: WireMessage {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { ctfplugin6_tfplugin6__validate_action_config__response() }
}
