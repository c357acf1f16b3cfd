# A token for a CI pipeline: pinned to the `default` group of `my-org`, allowed
# to read, create databases and mint their credentials; replaced every 30 days
# and whenever the pipeline's environment changes.
resource "turso_api_token" "ci" {
  name            = "ci-pipeline"
  organization    = "my-org"
  group           = "default"
  scopes          = ["read-only", "db:create", "db:mint-token"]
  rotation_period = "720h"

  triggers = {
    environment = var.environment
  }
}

# A token restricted to one organization, with its full access there.
resource "turso_api_token" "ops" {
  name         = "ops"
  organization = "my-org"
}

variable "environment" {
  type    = string
  default = "staging"
}

# The value is in state: mark every output that carries it sensitive.
output "ci_token" {
  value     = turso_api_token.ci.token
  sensitive = true
}
