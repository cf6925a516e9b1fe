"""The site as a whole: the assembled model, the route table of every output, static assets, output
files."""
