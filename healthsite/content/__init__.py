"""Content: find the files, read YAML with line marks, validate front matter, render Markdown,
check health rules, merge translations."""
