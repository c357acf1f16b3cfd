# The README's quick start: applied by `scripts/demo` against the bundled
# Turso API emulator, and by the acceptance tests.
terraform {
  required_providers {
    turso = {
      source  = "turso-swift/turso"
      version = "~> 0.1"
    }
  }
}

# scripts/demo sets TURSO_API_BASE_URL and TURSO_API_TOKEN to the emulator's.
provider "turso" {}

# A locally minted token that lives one hour, replaced 10 minutes before it
# expires (on the first plan after that point).
resource "turso_timed_token" "deploy" {
  name         = "deploy"
  ttl          = "1h"
  renew_before = "10m"
}

output "deploy_token_expires_at" {
  value = turso_timed_token.deploy.expires_at
}

output "deploy_token" {
  value     = turso_timed_token.deploy.token
  sensitive = true
}

# A Turso Platform API token for a CI job: restricted to the `default` group
# of `demo-org`, allowed to read, create databases and mint their
# credentials, and replaced every 30 days. Its value is kept in state:
# protect the state (see docs/resources/api_token.md).
resource "turso_api_token" "ci" {
  name            = "ci"
  organization    = "demo-org"
  group           = "default"
  scopes          = ["read-only", "db:create", "db:mint-token"]
  rotation_period = "720h"
}

output "ci_token" {
  value     = turso_api_token.ci.token
  sensitive = true
}

# Turso's own answer on the new token: valid, and until when.
data "turso_api_token_validation" "ci" {
  token = turso_api_token.ci.token
}

output "ci_token_valid" {
  value = data.turso_api_token_validation.ci.valid
}

# Every token of the organization, as Turso lists them (never with values).
data "turso_api_tokens" "demo_org" {
  organization = "demo-org"
  depends_on   = [turso_api_token.ci]
}

output "demo_org_token_names" {
  value = data.turso_api_tokens.demo_org.tokens[*].name
}
