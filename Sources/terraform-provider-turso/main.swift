// terraform-provider-turso: Terraform launches this binary as a plugin and
// talks to it over tfplugin6 (see DESIGN.md).
import TerraformPlugin
import TursoProvider

servePlugin(provider: TursoProvider(), address: "registry.terraform.io/turso-swift/turso")
