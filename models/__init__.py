"""Tables and domain operations; imports nothing from the other packages."""
