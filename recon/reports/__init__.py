"""Reports for people: the accountants' Excel workbook and a short HTML / plain-text summary."""
