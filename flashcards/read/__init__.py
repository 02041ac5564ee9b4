"""Read: note files found, decoded and split from their front matter (sources.py,
frontmatter.py → `SourceFile`), and Markdown parsed into a block tree with a line map
(parsers.py, blocks.py → `Block`)."""
