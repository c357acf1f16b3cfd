# Every token of the provider's API token's user.
data "turso_api_tokens" "mine" {}

# The tokens restricted to one organization (every member's, for admins and owners).
data "turso_api_tokens" "my_org" {
  organization = "my-org"
}

output "my_token_names" {
  value = data.turso_api_tokens.mine.tokens[*].name
}

output "group_scoped_tokens" {
  value = [for token in data.turso_api_tokens.my_org.tokens : token.name if token.group != null]
}
