"""The wire: HMAC-signed JSON and binary requests, typed errors, and where the keys live."""
