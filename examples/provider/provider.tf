terraform {
  required_providers {
    turso = {
      source  = "turso-swift/turso"
      version = "~> 0.1"
    }
  }
}

# Every setting can come from the environment instead:
#   TURSO_API_TOKEN, TURSO_API_BASE_URL, TURSO_PRIVATE_STATE_KEY,
#   TURSO_PRIVATE_STATE_PREVIOUS_KEYS (comma-separated).
provider "turso" {
  api_token         = var.turso_api_token
  private_state_key = var.private_state_key
}

variable "turso_api_token" {
  type      = string
  sensitive = true
}

variable "private_state_key" {
  type      = string
  sensitive = true
}
