"""Mail adapters: SMTP delivery through yagmail, and the built-in mail sink."""
