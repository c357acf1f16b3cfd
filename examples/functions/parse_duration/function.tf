# Terraform 1.8 and later: a duration written as ttl takes it, in seconds.
locals {
  ttl = "1h30m"
}

resource "turso_timed_token" "batch" {
  name = "batch"
  ttl  = local.ttl
}

output "batch_ttl_seconds" {
  value = provider::turso::parse_duration(local.ttl) # 5400
}
