"""The page base has no API; the API's own toolkit is premierdesk/restapi/."""
