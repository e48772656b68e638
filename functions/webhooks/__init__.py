"""Webhooks: SSRF-safe URL checks, Standard Webhooks signing, the dispatcher and the delivery log."""
