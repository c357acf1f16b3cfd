// terraform-provider-turso: Terraform launches this binary as a plugin and
// talks to it over tfplugin6 (see DESIGN.md).
#if canImport(Glibc)
import Glibc
#endif
import TerraformPlugin
import TursoProvider

// `unseal`: a sealed_token on stdin, the token on stdout (see UnsealCommand).
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "unseal" {
    exit(UnsealCommand.main(arguments: Array(CommandLine.arguments.dropFirst(2)), environment: ProcessEnvironment.current()))
}

servePlugin(provider: TursoProvider())
