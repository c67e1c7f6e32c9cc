"""Search backends: the database (PostgreSQL full text, SQLite substring) and Elasticsearch."""
