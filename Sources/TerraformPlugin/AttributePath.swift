/// Where in a resource's value a diagnostic points, as Terraform shows it:
/// `triggers["env"]`, `tokens[0].name`.
public struct AttributePath: Hashable, Sendable {
    public enum Step: Hashable, Sendable {
        /// An attribute of an object or block.
        case attribute(String)
        /// A map element, by key.
        case key(String)
        /// A list or tuple element, by index.
        case index(Int64)
    }

    public var steps: [Step]

    public init(_ steps: [Step] = []) { self.steps = steps }

    /// A path to a top-level attribute.
    public init(_ attribute: String) { self.steps = [.attribute(attribute)] }

    public func appending(_ step: Step) -> AttributePath { AttributePath(steps + [step]) }
    public func appending(attribute name: String) -> AttributePath { appending(.attribute(name)) }
    public func appending(key: String) -> AttributePath { appending(.key(key)) }
    public func appending(index: Int64) -> AttributePath { appending(.index(index)) }

    public var isEmpty: Bool { steps.isEmpty }
}

extension AttributePath: CustomStringConvertible {
    public var description: String {
        var text = ""
        for step in steps {
            switch step {
            case .attribute(let name): text += text.isEmpty ? name : "." + name
            case .key(let key): text += "[" + PluginLog.jsonString(key) + "]"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "(root)" : text
    }
}

extension AttributePath: ExpressibleByStringLiteral {
    /// A top-level attribute: `"name"`.
    public init(stringLiteral value: String) { self.init(value) }
}
