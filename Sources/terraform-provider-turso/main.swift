// terraform-provider-turso: Terraform launches this binary as a plugin and
// talks to it over tfplugin6 (see DESIGN.md).
import CStartup
import TerraformPlugin
import TursoProvider

startup_prepare_openssl()
servePlugin(provider: TursoProvider())
