# Terraform 1.14 and later: `terraform query` lists existing API tokens, and
# `terraform query -generate-config-out=generated.tf` writes an import block
# and a resource block for each, ready for `terraform apply`.
# Put this in a file ending in .tfquery.hcl beside your configuration.
list "turso_api_token" "ci" {
  provider = turso

  config {
    # Both optional: only tokens of this organization, and whose name
    # starts with this prefix.
    organization = "my-org"
    name_prefix  = "ci-"
  }
}
