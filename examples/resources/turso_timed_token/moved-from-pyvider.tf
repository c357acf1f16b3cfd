# Terraform 1.8 and later: take over a pyvider_timed_token (pyvider 0.8.1)
# without minting a new token. Replace the pyvider resource block with these
# two blocks and apply: the token keeps its value and expiry (pyvider's
# fixed hour, so ttl = "1h" and renew_before = "0s"), then rotates as a
# turso_timed_token. Keep the pyvider provider installed for that apply.
moved {
  from = pyvider_timed_token.ci
  to   = turso_timed_token.ci
}

resource "turso_timed_token" "ci" {
  name = "ci"
}
