"""Reading the list: Markdown bytes in, frozen ``ListEntry`` values (with exact byte spans) out."""
