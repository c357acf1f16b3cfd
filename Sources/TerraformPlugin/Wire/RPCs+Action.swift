import CTFPlugin6
import Synchronization

// Actions (Terraform 1.14+): validate, plan, then invoke, which streams
// progress lines and ends with one Completed event.

enum ValidateActionConfigRPC: RPC {
    typealias WireRequest = Tfplugin6__ValidateActionConfig__Request
    typealias WireResponse = Tfplugin6__ValidateActionConfig__Response
    typealias Target = any ProviderAction
    static let name = "ValidateActionConfig"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.type_name) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> ValidateActionConfigRequest {
        ValidateActionConfigRequest(typeName: values.typeName, config: try values.decode(message.config, .actionConfig))
    }

    static func call(_ action: any ProviderAction, _ request: ValidateActionConfigRequest) async -> [Diagnostic] {
        await action.validateConfig(request)
    }

    static func toWire(_ response: [Diagnostic], _ request: ValidateActionConfigRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}
}

enum PlanActionRPC: RPC {
    typealias WireRequest = Tfplugin6__PlanAction__Request
    typealias WireResponse = Tfplugin6__PlanAction__Response
    typealias Target = any ProviderAction
    static let name = "PlanAction"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { DiagnosticsField(count: \.n_diagnostics, elements: \.diagnostics) }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.action_type) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> PlanActionRequest {
        PlanActionRequest(typeName: values.typeName, config: try values.decode(message.config, .actionConfig))
    }

    static func call(_ action: any ProviderAction, _ request: PlanActionRequest) async -> [Diagnostic] {
        await action.plan(request)
    }

    static func toWire(_ response: [Diagnostic], _ request: PlanActionRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}
}

struct InvokeActionAnswer: RPCAnswer {
    var progress: [String]
    var diagnostics: [Diagnostic]
}

/// Progress lines are collected and sent before the Completed event (the
/// server sends a stream's messages when the call is done).
enum InvokeActionRPC: StreamingRPC {
    typealias WireRequest = Tfplugin6__InvokeAction__Request
    typealias WireResponse = Tfplugin6__InvokeAction__Event
    typealias Target = any ProviderAction
    static let name = "InvokeAction"
    static var diagnosticsField: DiagnosticsField<WireResponse>? { nil }
    static func typeName(_ message: WireRequest) -> String { String(wire: message.action_type) }

    static func fromWire(_ message: WireRequest, _ values: RequestValues) throws(RejectedRequest) -> InvokeActionRequest {
        let config = try values.decode(message.config, .actionConfig)
        guard config.isWhollyKnown else { throw values.reject("action configuration", "holds unknown values at invocation") }
        return InvokeActionRequest(typeName: values.typeName, config: config)
    }

    static func call(_ action: any ProviderAction, _ request: InvokeActionRequest) async -> InvokeActionAnswer {
        let lines = ProgressLines()
        let diagnostics = await action.invoke(request) { line in lines.append(line) }
        return InvokeActionAnswer(progress: lines.all, diagnostics: diagnostics)
    }

    static func toWire(_ response: InvokeActionAnswer, _ request: InvokeActionRequest, _ writer: inout ResponseWriter, _ message: UnsafeMutablePointer<WireResponse>) {}

    static func events(_ response: InvokeActionAnswer, _ request: InvokeActionRequest, _ context: ResponseContext) -> [[UInt8]] {
        response.progress.map { line in
            WireArena.pack(WireResponse.self) { arena, message in
                let progress = arena.message(Tfplugin6__InvokeAction__Event__Progress.self)
                progress.pointee.message = arena.string(line)
                message.pointee.type_case = TFPLUGIN6__INVOKE_ACTION__EVENT__TYPE_PROGRESS
                message.pointee.progress = progress
            }
        } + [completed(response.diagnostics)]
    }

    static func refusal(_ diagnostic: Diagnostic, echoing echoed: [UInt8]?) -> [UInt8] {
        completed([diagnostic])
    }

    static func completed(_ diagnostics: [Diagnostic]) -> [UInt8] {
        WireArena.pack(WireResponse.self) { arena, message in
            let completed = arena.message(Tfplugin6__InvokeAction__Event__Completed.self)
            (completed.pointee.n_diagnostics, completed.pointee.diagnostics) = diagnostics.wire(in: arena)
            message.pointee.type_case = TFPLUGIN6__INVOKE_ACTION__EVENT__TYPE_COMPLETED
            message.pointee.completed = completed
        }
    }
}

/// Progress lines from an action, which may report from any task.
final class ProgressLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
