import CTFPlugin6
import Testing
@testable import TerraformPlugin

@Suite("WireMessage pairing of structs and descriptors")
struct WireMessageTests {
    static var types: [any WireMessage.Type] { [
        Tfplugin6__DynamicValue.self,
        Tfplugin6__Diagnostic.self,
        Tfplugin6__AttributePath.self,
        Tfplugin6__AttributePath__Step.self,
        Tfplugin6__RawState.self,
        Tfplugin6__ServerCapabilities.self,
        Tfplugin6__Schema.self,
        Tfplugin6__Schema__Block.self,
        Tfplugin6__Schema__Attribute.self,
        Tfplugin6__Schema__NestedBlock.self,
        Tfplugin6__GetMetadata__Request.self,
        Tfplugin6__GetMetadata__Response.self,
        Tfplugin6__GetMetadata__ResourceMetadata.self,
        Tfplugin6__GetMetadata__DataSourceMetadata.self,
        Tfplugin6__GetProviderSchema__Request.self,
        Tfplugin6__GetProviderSchema__Response.self,
        Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry.self,
        Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry.self,
        Tfplugin6__ValidateProviderConfig__Request.self,
        Tfplugin6__ValidateProviderConfig__Response.self,
        Tfplugin6__ConfigureProvider__Request.self,
        Tfplugin6__ConfigureProvider__Response.self,
        Tfplugin6__StopProvider__Request.self,
        Tfplugin6__StopProvider__Response.self,
        Tfplugin6__ValidateResourceConfig__Request.self,
        Tfplugin6__ValidateResourceConfig__Response.self,
        Tfplugin6__UpgradeResourceState__Request.self,
        Tfplugin6__UpgradeResourceState__Response.self,
        Tfplugin6__ReadResource__Request.self,
        Tfplugin6__ReadResource__Response.self,
        Tfplugin6__PlanResourceChange__Request.self,
        Tfplugin6__PlanResourceChange__Response.self,
        Tfplugin6__ApplyResourceChange__Request.self,
        Tfplugin6__ApplyResourceChange__Response.self,
        Tfplugin6__ImportResourceState__Request.self,
        Tfplugin6__ImportResourceState__Response.self,
        Tfplugin6__ImportResourceState__ImportedResource.self,
        Tfplugin6__ValidateDataResourceConfig__Request.self,
        Tfplugin6__ValidateDataResourceConfig__Response.self,
        Tfplugin6__ReadDataSource__Request.self,
        Tfplugin6__ReadDataSource__Response.self,
    ] }

    static func stride<Message: WireMessage>(_ type: Message.Type) -> Int { MemoryLayout<Message>.stride }

    @Test("each struct is paired with the descriptor of the same C type and size", arguments: types.indices)
    func pairing(index: Int) {
        let type = Self.types[index]
        let descriptor = type.descriptor.pointee
        #expect(String(cString: descriptor.c_name) == String(describing: type))
        #expect(descriptor.sizeof_message == Self.stride(type))
        #expect(descriptor.magic == PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC)
    }
}
