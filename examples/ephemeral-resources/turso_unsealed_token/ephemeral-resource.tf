# A token kept out of state: with seal_token = true the state holds only
# sealed_token, which opens with the provider's private_state_key.
resource "turso_api_token" "automation" {
  name       = "automation"
  seal_token = true
}

# The token itself, for this run only: opened in plan and in apply alike,
# never written to state or plan files.
ephemeral "turso_unsealed_token" "automation" {
  sealed_token = turso_api_token.automation.sealed_token
}

# A second provider configuration that acts as the automation token. Until
# turso_api_token.automation exists, its sealed_token (and so this api_token)
# is unknown at plan time: what this provider manages is planned, and created
# at apply once the token exists.
provider "turso" {
  alias     = "automation"
  api_token = ephemeral.turso_unsealed_token.automation.token
}

resource "turso_api_token" "deploy" {
  provider = turso.automation
  name     = "deploy"
}
