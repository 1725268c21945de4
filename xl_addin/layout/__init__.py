"""Where each field lives on the workbook's sheets, and reading/writing them by label."""
