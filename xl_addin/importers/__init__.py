"""Reading published performance-target documents (text or Word) into the model."""
