# A token for this run only, valid for 15 minutes and never stored. Use
# ephemeral.turso_timed_token.run.token wherever Terraform accepts ephemeral
# values: provider configurations, write-only arguments, locals and other
# ephemeral resources.
ephemeral "turso_timed_token" "run" {
  name = "run"
  ttl  = "15m"
}

locals {
  run_token = ephemeral.turso_timed_token.run.token
}
