# Terraform 1.14 and later: revoke a leaked token now, whether or not
# Terraform manages it:
#   terraform apply -invoke=action.turso_revoke_api_token.leaked
# A name Turso does not know succeeds with a warning. A turso_api_token
# resource whose token was revoked is created again by the next apply.
action "turso_revoke_api_token" "leaked" {
  config {
    name = "ci-pipeline"
    # With an organization, its token of that name is revoked, even another
    # member's when you are an admin of the organization.
    # organization = "my-org"
  }
}
