// terraform-provider-turso: Terraform launches this binary as a plugin and
// talks to it over tfplugin6 (see DESIGN.md).
#if canImport(Glibc)
import Glibc
#endif
import CStartup
import TerraformPlugin
import TursoProvider

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "--version", "-version":
    print("terraform-provider-turso \(TursoProvider.version)")
case "unseal":
    // A sealed_token on stdin, the token on stdout (see UnsealCommand).
    exit(UnsealCommand.main(arguments: Array(arguments.dropFirst()), environment: ProcessEnvironment.current()))
default:
    startup_prepare_openssl()
    servePlugin(provider: TursoProvider())
}
