# A token for this run only: created when Terraform opens the ephemeral
# resource (in plan and in apply alike) and revoked when Terraform closes it.
# Its value is never stored in state or plan files.
ephemeral "turso_api_token" "session" {
  name_prefix = "tf-session-"
}

# A second provider configuration that acts with the session token.
provider "turso" {
  alias     = "session"
  api_token = ephemeral.turso_api_token.session.token
}

data "turso_api_tokens" "mine" {
  provider = turso.session
}

output "my_token_names" {
  value = [for token in data.turso_api_tokens.mine.tokens : token.name]
}
