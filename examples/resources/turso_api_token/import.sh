# API tokens are imported by name. Turso shows a token's value only when it
# is created, so an imported token's `token` attribute is null.
terraform import turso_api_token.ops ops
