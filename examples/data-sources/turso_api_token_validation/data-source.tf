# Is the provider's own API token still valid, and until when?
data "turso_api_token_validation" "provider" {}

output "provider_token_valid" {
  value = data.turso_api_token_validation.provider.valid
}

output "provider_token_expires_at" {
  # null when the token never expires
  value = data.turso_api_token_validation.provider.expires_at
}

# Any other token, for example one kept in a secret store.
variable "deploy_token" {
  type      = string
  sensitive = true
  default   = "paste-a-turso-api-token-here"
}

data "turso_api_token_validation" "deploy" {
  token = var.deploy_token
}

output "deploy_token_valid" {
  value = data.turso_api_token_validation.deploy.valid
}
