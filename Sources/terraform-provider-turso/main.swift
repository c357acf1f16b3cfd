// terraform-provider-turso: Terraform launches this binary as a plugin and
// talks to it over tfplugin6 (see DESIGN.md).
import CStartup
import TerraformPlugin
import TursoProvider

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "--version" || arguments.first == "-version" {
    print("terraform-provider-turso \(TursoProvider.version)")
} else {
    startup_prepare_openssl()
    servePlugin(provider: TursoProvider())
}
