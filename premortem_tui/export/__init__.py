"""Writers (Markdown, JSON, CSV, iCalendar) and the JSON reader; pure functions."""
