"""PDF documents built from a frozen case snapshot: bytes out, no Qt and no database."""
