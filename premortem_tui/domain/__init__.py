"""Pure workshop rules: no Textual, no SQLModel."""
