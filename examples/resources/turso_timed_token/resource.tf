# A token for a deployment job: valid for 30 minutes, replaced on the first
# plan within 5 minutes of expiry, and whenever the release changes.
resource "turso_timed_token" "deploy" {
  name         = "deploy"
  ttl          = "30m"
  renew_before = "5m"

  triggers = {
    release = var.release
  }
}

variable "release" {
  type    = string
  default = "2026.11"
}

output "deploy_token" {
  value     = turso_timed_token.deploy.token
  sensitive = true
}
