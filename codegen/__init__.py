"""The code request and its result: the models at the seams of the generate-code flow."""
