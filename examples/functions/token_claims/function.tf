# Terraform 1.8 and later. token_claims decodes a Turso token's payload
# without checking its signature: use it to read what a token says (its id,
# when it was issued), and turso_api_token_validation to ask Turso whether
# it is valid.
resource "turso_api_token" "reporting" {
  name = "reporting"
}

output "reporting_token_id" {
  # The claims come from a sensitive value, so the output is sensitive too.
  value     = provider::turso::token_claims(turso_api_token.reporting.token).id
  sensitive = true
}
