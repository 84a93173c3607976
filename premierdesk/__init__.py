"""Premier Desk: runs a premium enterprise support service."""
