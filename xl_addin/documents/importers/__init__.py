"""Reading published performance-target documents (text, Word, web pages, PDF,
workbooks) into the model: a reader per format, one interpreter."""
