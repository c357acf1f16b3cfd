# Terraform 1.12 and later: import an existing API token by its identity,
# its name, with an import block, then plan and apply as usual. Turso shows a
# token's value only when it is created, so the imported `token` is null.
import {
  to       = turso_api_token.deploy
  identity = { name = "deploy" }
}

resource "turso_api_token" "deploy" {
  name         = "deploy"
  organization = "my-org"
}
