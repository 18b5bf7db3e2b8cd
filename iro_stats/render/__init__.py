"""Writers that draw a Table as text, Markdown, CSV, JSON or an Excel workbook."""
