"""The API toolkit every app's api.py uses: authentication, the error body, pagination."""
