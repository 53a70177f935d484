"""mlentory-pipeline: Hugging Face model metadata to FAIR4ML, graph and search, as doit assets."""
